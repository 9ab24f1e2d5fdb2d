using DistillLab.Core.Experiments;
using DistillLab.Web.Components.Pages.Compare;
using DistillLab.Web.Components.Widgets;
using static DistillLab.Tests.Support.CompareRuns;
using DistillLab.Core.Training;

namespace DistillLab.Tests.Web.Components.Pages.Compare;

public sealed class CompareLogicTests
{
    [Fact]
    public void OnlyTheSettingsThatDifferAreListedWithEachRunsValue()
    {
        var a = Run("a", new LabConfig { Alpha = 0.1, Temperature = 5 }, (0.9, 0.7, 0.75));
        var b = Run("b", new LabConfig { Alpha = 0.3, Temperature = 5, BatchSize = 64 }, (0.9, 0.7, 0.72));

        var differences = SettingsDiff.Between([a, b]);

        Assert.Equal(["α", "Batch size"], differences.Select(d => d.Setting));
        Assert.Equal(["0.1", "0.3"], differences[0].Values);
        Assert.Equal(["32", "64"], differences[1].Values);
        Assert.Empty(SettingsDiff.Between([a, a with { Id = "c" }]));
    }

    [Fact]
    public void EveryLabConfigPropertyIsComparedSoANewSettingNeedsNoPageChange()
    {
        // Change one property at a time, by reflection, so a property added later is covered without editing this test.
        var baseline = new LabConfig();
        foreach (var property in typeof(LabConfig).GetProperties().Where(p => p.CanWrite))
        {
            var changed = baseline with { };
            property.SetValue(changed, Other(property.GetValue(baseline), property.PropertyType));
            var difference = Assert.Single(SettingsDiff.Between([Run("a", baseline, (1, 1, 1)), Run("b", changed, (1, 1, 1))]));
            Assert.Equal(SettingsDiff.Label(property), difference.Setting);
        }
        Assert.Equal("Image size", SettingsDiff.Label(typeof(LabConfig).GetProperty(nameof(LabConfig.ImageSize))!));
        Assert.Equal("T²", SettingsDiff.Label(typeof(LabConfig).GetProperty(nameof(LabConfig.ScaleByTemperatureSquared))!));
    }

    private static object Other(object? value, Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => value + "-changed",
        var t when t == typeof(bool) => !(bool)(value ?? false),
        var t when t == typeof(int) => (int)(value ?? 0) + 7,
        var t when t == typeof(double) => (double)(value ?? 0) + 0.25,
        var t => throw new NotSupportedException($"Teach this test a second value for {t.Name} settings."),
    };

    [Fact]
    public void CurvesThatCoincideAreDrawnOnceLabelledWithEveryRun()
    {
        // b reused a's scratch student (same history); c trained its own. Every distilled student differs.
        var sharedScratch = History(0.5);
        var a = Run("a", new LabConfig { Alpha = 0.1 }, (0.9, 0.7, 0.75), scratch: sharedScratch, distilled: History(0.55, distilled: true), name: "first try");
        var b = Run("b", new LabConfig { Alpha = 0.3 }, (0.9, 0.7, 0.72), scratch: [.. sharedScratch], distilled: History(0.58, distilled: true));
        var c = Run("c", new LabConfig { Alpha = 0.5 }, (0.9, 0.71, 0.7), scratch: History(0.52), distilled: History(0.6, distilled: true));

        var curves = CompareCurves.Build([a, b, c], CompareMetric.Accuracy, [ModelRole.StudentScratch, ModelRole.StudentDistilled], [CompareSplit.Validation]);

        var scratch = curves.Where(k => k.Model == ModelRole.StudentScratch).ToList();
        Assert.Equal(2, scratch.Count);
        Assert.Equal("Scratch (runs first try, b)", scratch[0].Label(withSplit: false));
        Assert.Equal("Scratch (run c)", scratch[1].Label(withSplit: false));
        Assert.Equal(3, curves.Count(k => k.Model == ModelRole.StudentDistilled));
        Assert.Equal(5, curves.Count);
    }

    [Fact]
    public void CurvesAreComparedPerSplitAndTheLossTermsBelongToTheDistilledStudentOnly()
    {
        var a = Run("a", new LabConfig(), (0.9, 0.7, 0.75));
        var both = CompareCurves.Build([a], CompareMetric.Loss, ModelRoles.All, [CompareSplit.Train, CompareSplit.Validation]);
        Assert.Equal(6, both.Count);
        Assert.Equal("Teacher validation (run a)", both[0].Label(withSplit: true));

        var terms = CompareCurves.Build([a], CompareMetric.DistillationLoss, ModelRoles.All, [CompareSplit.Validation]);
        var only = Assert.Single(terms);
        Assert.Equal((ModelRole.StudentDistilled, CompareSplit.Train), (only.Model, only.Split));
        Assert.Equal([0.4, 0.2, 0.4 / 3], only.Points.Select(p => p.Value));
    }

    [Theory]
    [InlineData(0.80, 0.76, "+4.0 points")]
    [InlineData(0.792, 0.80, "−0.8 points")]
    [InlineData(0.70, 0.70, "0.0 points")]
    public void DistilledMinusScratchIsSignedInPoints(double distilled, double scratch, string expected)
    {
        var run = Run("a", new LabConfig(), (0.9, scratch, distilled));
        Assert.Equal(expected, AccuracyText.Points(run.DistilledGain));
    }

    [Fact]
    public void AnAddressWithUnknownIdsOrMoreThanSixRunsSaysWhat()
    {
        var known = Enumerable.Range(1, 8).ToDictionary(i => $"r{i}", i => Run($"r{i}", new LabConfig(), (1, 1, 1)));
        var seven = CompareSelection.Resolve("r1,r2,r3,r4,r5,r6,r7", id => known.GetValueOrDefault(id));
        Assert.Equal(6, seven.Runs.Count);
        Assert.Contains("at most 6 runs", Assert.Single(seven.Problems));
        Assert.Contains("Left out: r7", seven.Problems[0]);

        var unknown = CompareSelection.Resolve(" r1, nope ,r1,", id => known.GetValueOrDefault(id));
        Assert.Equal(["r1"], unknown.Runs.Select(r => r.Id));
        Assert.Contains("nope", Assert.Single(unknown.Problems));
        Assert.Empty(CompareSelection.Resolve(null, id => known.GetValueOrDefault(id)).Runs);
        Assert.Equal("compare?runs=r1,r2&metric=loss", CompareSelection.Url(["r1", "r2"], "loss"));
    }
}
