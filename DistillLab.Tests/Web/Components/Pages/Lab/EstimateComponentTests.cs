using System.Text.RegularExpressions;
using Bunit;
using DistillLab.Core.Experiments;
using DistillLab.Web.Components.Pages.Lab;
using DistillLab.Web.Estimates;
using DistillLab.Web.Runs;
using MudBlazor;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Components.Pages.Lab;

/// <summary>The form's estimate (RunEstimateNote over RunEstimates) and the status panel's time left.</summary>
public sealed class EstimateComponentTests
{
    private static readonly LabConfig Defaults = new();

    private static string EstimateText(IRenderedComponent<RunForm> form) => form.Find("[role=status][aria-label=Estimate]").TextContent.Trim();
    /// <summary>Where the speeds came from and the breakdown: the estimate's tooltip (one visible line keeps Start in view).</summary>
    private static string EstimateTitle(IRenderedComponent<RunForm> form) => form.Find("[role=status][aria-label=Estimate]").GetAttribute("title") ?? "";

    /// <summary>A completed run of the form's default settings, trained at <paramref name="teacherIps"/> / <paramref name="studentIps"/> img/s.</summary>
    private static RunDetails StoreCompletedRun(ComponentTestContext ctx, string id, double teacherIps, double studentIps)
    {
        Assert.True(RunEstimates.TryKey(Defaults, out var key, out _));
        var data = new DataSummary("synthetic", ["cat", "dog"], 4000, 500, 500, new Dictionary<string, int>());
        EpochMetrics Epoch(int n, double ips) => new(n, 0.7, 0.5, 0.7, 0.5, 4000 / ips + 1, ips);
        var started = DateTimeOffset.UtcNow.AddMinutes(-10);
        var run = new RunDetails(id, RunStatus.Completed, Defaults, true, started)
        {
            StartedAt = started, FinishedAt = started.AddSeconds(400), ImageSize = key.ImageSize, Device = key.Device, Data = data,
            Teacher = new ModelView { Parameters = 1000, TestAccuracy = 0.9, TestLoss = 0.3 }, StudentScratch = new ModelView { Parameters = 100, TestAccuracy = 0.7, TestLoss = 0.6 },
            StudentDistilled = new ModelView { Parameters = 100, TestAccuracy = 0.8, TestLoss = 0.5 }, TotalSeconds = 380,
        };
        ctx.Store.Insert(run, RunRequests.TeacherKey(Defaults), RunRequests.ScratchKey(Defaults));
        ctx.Store.Update(run);
        foreach (var (role, ips, epochs) in new[] { (ModelRole.Teacher, teacherIps, 8), (ModelRole.StudentScratch, studentIps, 5), (ModelRole.StudentDistilled, studentIps / 2, 5) })
            for (int e = 1; e <= epochs; e++) ctx.Store.AddEpoch(id, role, Epoch(e, ips));
        return ctx.Store.Load(id)!;
    }

    private static double Seconds(string text)
    {
        var m = Regex.Match(text, @"about ([\d.]+) (s|min|h)");
        Assert.True(m.Success, text);
        double value = double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return value * (m.Groups[2].Value switch { "s" => 1, "min" => 60, _ => 3600 });
    }

    [Fact]
    public async Task WithoutEarlierRunsTheEstimateIsMeasuredOffTheCircuitOncePerDeviceSizeAndBatch()
    {
        await using var ctx = new ComponentTestContext();
        ctx.Render<MudPopoverProvider>();
        ctx.MeasureGate.Reset();
        var form = ctx.Render<RunForm>();

        form.WaitForAssertion(() => Assert.Equal("Estimated duration: measuring…", EstimateText(form)));
        // The circuit is free while it measures: the form still answers.
        form.Find("input[type=range][aria-label=Alpha]").Input("0.4");
        form.WaitForAssertion(() => Assert.Equal(0.4, form.Instance.Request.Config.Alpha, 6));

        ctx.MeasureGate.Set();
        form.WaitForAssertion(() => Assert.StartsWith("Estimated duration: about", EstimateText(form)), TimeSpan.FromSeconds(30));
        // The default run on the 8,000 synthetic images (4,000 / 2,000 / 2,000) at the measured speeds, plus predicting
        // the 2,000 stored test images and timing 55 single images with all three models.
        var speed = ctx.MeasuredSpeed;
        var expected = RunEstimate.Of(form.Instance.Request.Config, 4000, 2000, 2000, speed).Total.TotalSeconds
                       + speed.AllModelsEvaluationSeconds(2000 + 55);
        Assert.StartsWith($"Estimated duration: {DurationText.About(TimeSpan.FromSeconds(expected))}", EstimateText(form));
        Assert.Contains("Speeds measured here: teacher 200, student 250 img/s", EstimateTitle(form));
        Assert.Equal(1, ctx.Measurements);

        form.FindComponents<MudNumericField<int>>().Single(f => f.Instance.Label == "Student epochs").Find("input").Input("2");
        form.WaitForAssertion(() => Assert.True(Seconds(EstimateText(form)) < expected));
        Assert.Equal(1, ctx.Measurements);
        form.FindComponents<MudNumericField<int>>().Single(f => f.Instance.Label == "Batch size").Find("input").Input("64");
        form.WaitForAssertion(() => Assert.Equal(2, ctx.Measurements));
    }

    [Fact]
    public async Task AnEarlierRunsEpochsGiveTheSpeedsAndItsReusableModelsAreLeftOut()
    {
        await using var ctx = new ComponentTestContext();
        ctx.Render<MudPopoverProvider>();
        var earlier = StoreCompletedRun(ctx, "earlier", teacherIps: 100, studentIps: 400);
        foreach (var role in ModelReuse.Roles)
        {
            Directory.CreateDirectory(ctx.Artifacts.RunDirectory(earlier.Id));
            File.WriteAllBytes(ctx.Artifacts.ModelPath(earlier.Id, role), [1]);
        }
        var form = ctx.Render<RunForm>();

        form.WaitForAssertion(() => Assert.Contains("(teacher and scratch student reused)", EstimateText(form)));
        Assert.Contains("Speeds from run earlier's epochs: teacher 100, student 400 img/s", EstimateTitle(form));
        Assert.Contains("(loading and saving as long as in run earlier)", form.Find("[role=status][aria-label=Estimate]").GetAttribute("title"));
        double reused = Seconds(EstimateText(form));

        form.FindComponents<MudSwitch<bool>>().Single(s => s.Instance.Label!.StartsWith("Reuse")).Find("input").Change(false);
        form.WaitForAssertion(() => Assert.DoesNotContain("reused", EstimateText(form)));
        // Training the teacher again costs its 8 epochs of 4,000 images at 100 img/s, 320 s and more.
        Assert.True(Seconds(EstimateText(form)) - reused >= 320, EstimateText(form));
        Assert.Equal(0, ctx.Measurements);
    }

    [Fact]
    public async Task NothingIsMeasuredWhileARunIsActiveAndTheEstimateFollowsWhenItEnds()
    {
        await using var ctx = new ComponentTestContext();
        ctx.Render<MudPopoverProvider>();
        var requests = (RunRequests)ctx.Services.GetService(typeof(RunRequests))!;
        var queued = requests.Submit(new RunRequest(new LabConfig { Alpha = 0.9 }));
        var form = ctx.Render<RunForm>();

        form.WaitForAssertion(() => Assert.StartsWith("Estimated duration: not measured yet", EstimateText(form)));
        Assert.Equal(0, ctx.Measurements);

        Assert.True(requests.Cancel(queued.Run!.Id));
        form.WaitForAssertion(() => Assert.StartsWith("Estimated duration: about", EstimateText(form)), TimeSpan.FromSeconds(30));
        Assert.Equal(1, ctx.Measurements);
    }

    [Fact]
    public async Task TheStatusPanelShowsTimeLeftInThePhaseAndForTheWholeRun()
    {
        await using var ctx = new ComponentTestContext();
        StoreCompletedRun(ctx, "earlier", teacherIps: 100, studentIps: 400);
        Assert.True(RunEstimates.TryKey(Defaults, out var key, out _));
        var running = new RunDetails("now", RunStatus.Running, Defaults, true, DateTimeOffset.UtcNow)
        {
            StartedAt = DateTimeOffset.UtcNow, ImageSize = key.ImageSize, Device = key.Device,
            Data = new DataSummary("synthetic", ["cat", "dog"], 4000, 500, 500, new Dictionary<string, int>()),
            Teacher = new ModelView { Parameters = 1000 }, Stage = "training", Progress = new RunProgress(ModelRole.Teacher, 8, 8, 50, 125, 12),
        };
        var panel = ctx.Render<RunStatusPanel>(p => p.Add(x => x.Run, running));

        Assert.Contains("about 12 s left in this phase", panel.Markup);
        // Both students at 400 img/s (the distilled one at 200) are still to come: minutes, not the phase's 12 s.
        var whole = panel.Find("[aria-label='Run time left']").TextContent;
        Assert.Matches(@"^About \d+ min left for the whole run$", whole);
    }
}
