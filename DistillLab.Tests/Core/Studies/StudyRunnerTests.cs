using DistillLab.Tests.Support;
using System.Text.Json;
using DistillLab.Core;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Studies;
using DistillLab.Core.Training;
using static TorchSharp.torch;

namespace DistillLab.Tests.Core.Studies;

[Collection(TorchCollection.Name)]
public sealed class StudyRunnerTests(TinyStudy study) : IClassFixture<TinyStudy>
{
    private StudyResult Result => study.Result;

    private static int Count<T>(IEnumerable<LabEvent> events, Func<T, bool>? where = null) =>
        events.OfType<T>().Count(e => where?.Invoke(e) ?? true);

    [Fact]
    public void EachSeedTrainsOneTeacherAndOneBaselineAndEveryTrialOnce()
    {
        Assert.Equal(2, Count<PhaseStarted>(study.Events, e => e.Model == ModelRole.Teacher));
        Assert.Equal(2, Count<PhaseStarted>(study.Events, e => e.Model == ModelRole.StudentScratch));
        Assert.Equal(8, Count<TrialStarted>(study.Events));
        Assert.Equal(8, Count<TrialCompleted>(study.Events));
        Assert.Equal(8, Count<PhaseStarted>(study.Events, e => e.Model == ModelRole.StudentDistilled));
        Assert.Equal([42, 43], Result.Teachers.Select(t => t.Seed));
        Assert.All(Result.Teachers, t => Assert.False(t.Reused));
        Assert.Equal(8, Result.Trials.Count);
        Assert.All(Result.Trials, t => Assert.Equal((TrialStatus.Completed, 2), (t.Status, t.Epochs)));
        Assert.Single(study.Events.OfType<StudyCompleted>());
    }

    /// <summary>A trial and its baseline on a seed are exactly the lab's distilled and scratch students for that seed,
    /// and their curves are the ones the lab gives: same start, same batch order, so the comparison is paired.</summary>
    [Fact]
    public void ATrialAndItsBaselineAreTheLabsStudentsForThatSeedAndSetting()
    {
        var trial = Result.Trials.First(t => t.Seed == 42 && t.Alpha == 0.9 && t.Temperature == 5);
        var config = TinyStudy.Config.TrialConfig(trial.Key.Setting, 42);
        using var lab = new LabRunner(new LabEnvironment(Path.GetTempPath())).Run(config, TinyStudy.Data(), CPU, _ => { }, CancellationToken.None);

        Assert.Equal(lab.Result.StudentDistilled.History.Select(e => e.ValAccuracy), trial.History.Select(e => e.ValAccuracy));
        Assert.Equal(lab.Result.StudentDistilled.History.Select(e => e.TrainLoss), trial.History.Select(e => e.TrainLoss));
        var baseline = Result.Baseline.Single(b => b.Seed == 42);
        Assert.Equal(lab.Result.StudentScratch.History.Select(e => e.TrainLoss), baseline.History.Select(e => e.TrainLoss));
        Assert.Equal(lab.Result.StudentScratch.TestAccuracy, baseline.TestAccuracy);
        Assert.Equal(lab.Result.Teacher.TestAccuracy, Result.Teachers.Single(t => t.Seed == 42).TestAccuracy);
    }

    [Fact]
    public void SettingsArePairedValidationDifferencesAndTheBestHasTheHighestMean()
    {
        foreach (var s in Result.Settings)
        {
            var deltas = Result.Trials.Where(t => t.Key.Setting == s.Setting)
                .Select(t => t.ValAccuracy!.Value - Result.Baseline.Single(b => b.Seed == t.Seed).ValAccuracy).ToList();
            Assert.Equal(2, s.Seeds);
            Assert.Equal(deltas.Average(), s.MeanDelta!.Value, 12);
            var paired = PairedComparison.OfDifferences(deltas);
            Assert.Equal([paired.Ci95Low, paired.Ci95High], s.Ci95!);
        }
        var best = Assert.IsType<BestSetting>(Result.Best);
        double top = Result.Settings.Max(s => s.MeanDelta!.Value);
        Assert.Equal(top, Result.Settings.First(s => s.Alpha == best.Alpha && s.Temperature == best.Temperature).MeanDelta);
        Assert.Equal(Result.Baseline.Select(b => b.TestAccuracy), best.Test.Scratch);
        Assert.Equal(2, best.Test.Distilled.Count);
        Assert.Contains($"α={best.Alpha}", best.Verdict);
        Assert.Contains("over 2 seeds", best.Verdict);
    }

    [Fact]
    public void TheJsonHasTheIssuesShape()
    {
        var root = JsonDocument.Parse(Result.ToJson()).RootElement;
        Assert.Equal([0.1, 0.9], root.GetProperty("config").GetProperty("alpha").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(2, root.GetProperty("config").GetProperty("seeds").GetInt32());
        Assert.Equal(48, root.GetProperty("config").GetProperty("imageSize").GetInt32());
        Keys(root, "config", "teachers", "baseline", "trials", "settings", "best", "totalSeconds");
        Keys(root.GetProperty("teachers")[0], "seed", "testAccuracy", "reused");
        Keys(root.GetProperty("baseline")[0], "seed", "valAccuracy", "testAccuracy", "history");
        var trial = root.GetProperty("trials")[0];
        Keys(trial, "alpha", "temperature", "scaleByTemperatureSquared", "seed", "status", "epochs", "valAccuracy", "history");
        Assert.Equal("completed", trial.GetProperty("status").GetString());
        var setting = root.GetProperty("settings")[0];
        Keys(setting, "alpha", "temperature", "scaleByTemperatureSquared", "seeds", "meanValAccuracy", "meanDelta", "ci95");
        Assert.Equal(2, setting.GetProperty("ci95").GetArrayLength());
        var best = root.GetProperty("best");
        Keys(best, "alpha", "temperature", "scaleByTemperatureSquared", "test", "verdict");
        Keys(best.GetProperty("test"), "distilled", "scratch", "meanDelta", "ci95", "pValue");
    }

    private static void Keys(JsonElement element, params string[] keys) =>
        Assert.Equal(keys.Order(), element.EnumerateObject().Select(p => p.Name).Order());

    [Fact]
    public void TheSameStudyTwiceGivesTheSameNumbers()
    {
        var again = TinyStudy.Run(TinyStudy.Config, TinyStudy.Data());
        Assert.Equal(Numbers(Result), Numbers(again));
    }

    /// <summary>Flipping every test label changes every test accuracy; if selection read the test split, the choice or the
    /// validation figures would move. They do not; only the confirm step's test figures change.</summary>
    [Fact]
    public void SelectionNeverReadsTheTestSplit()
    {
        var data = TinyStudy.Data();
        var flipped = data with { Test = new ImageSet(data.Test.Select(Enumerable.Range(0, data.Test.Count).ToArray()) is var copy ? Pixels(copy) : [],
            copy.Labels.Select(l => 1 - l).ToArray(), copy.Channels, copy.ImageSize) };

        var corrupted = TinyStudy.Run(TinyStudy.Config, flipped);

        Assert.Equal(JsonSerializer.Serialize(Result.Settings), JsonSerializer.Serialize(corrupted.Settings));
        Assert.Equal((Result.Best!.Alpha, Result.Best.Temperature), (corrupted.Best!.Alpha, corrupted.Best.Temperature));
        Assert.Equal(Result.Trials.Select(t => t.History.Select(e => e.ValAccuracy).ToList()).SelectMany(x => x),
            corrupted.Trials.Select(t => t.History.Select(e => e.ValAccuracy).ToList()).SelectMany(x => x));
        // The confirm step did read the (flipped) test split: with two classes every accuracy became 1 - accuracy.
        Assert.Equal(Result.Best.Test.Distilled.Select(a => Math.Round(1 - a, 9)), corrupted.Best.Test.Distilled.Select(a => Math.Round(a, 9)));
    }

    private static byte[] Pixels(ImageSet set)
    {
        var pixels = new byte[set.Count * set.ImageBytes];
        for (int i = 0; i < set.Count; i++) set.Image(i).CopyTo(pixels.AsSpan(i * set.ImageBytes));
        return pixels;
    }

    /// <summary>A restart after five trials: the study goes on with the three left, trains nothing that finished (teachers
    /// come from its work folder, baselines and trials from the results passed in), and ends with the same numbers.</summary>
    [Fact]
    public void AResumedStudyTrainsOnlyWhatIsLeftAndEndsWithTheSameNumbers()
    {
        var events = new List<LabEvent>();
        var inputs = new StudyInputs
        {
            Teachers = Result.Teachers, Baseline = Result.Baseline, Trials = Result.Trials.Take(5).ToList(), WorkFolder = study.WorkFolder,
        };

        var resumed = TinyStudy.Run(TinyStudy.Config, TinyStudy.Data(), inputs, events);

        Assert.Equal(3, Count<TrialStarted>(events));
        Assert.Equal(Result.Trials.Skip(5).Select(t => t.Key), events.OfType<TrialStarted>().Select(e => e.Trial));
        Assert.Equal(0, Count<PhaseStarted>(events, e => e.Model is ModelRole.Teacher or ModelRole.StudentScratch));
        Assert.Equal(3, Count<PhaseStarted>(events, e => e.Model == ModelRole.StudentDistilled));
        Assert.Equal(Numbers(Result), Numbers(resumed));
    }

    /// <summary>Without a work folder a finished best student is trained again for the test, silently and identically.</summary>
    [Fact]
    public void AResumedStudyWithoutItsStudentsTrainsTheBestOnesAgainToTheSameWeights()
    {
        var events = new List<LabEvent>();
        var inputs = new StudyInputs { Teachers = Result.Teachers, Baseline = Result.Baseline, Trials = Result.Trials };

        var resumed = TinyStudy.Run(TinyStudy.Config, TinyStudy.Data(), inputs, events);

        Assert.Equal(0, Count<TrialStarted>(events));
        Assert.Equal(Numbers(Result), Numbers(resumed));
    }

    [Fact]
    public void CancellingStopsWithinABatchAndReportsTheTrialCancelled()
    {
        using var cancel = new CancellationTokenSource();
        var events = new List<LabEvent>();
        var inputs = new StudyInputs { Teachers = Result.Teachers, Baseline = Result.Baseline, WorkFolder = study.WorkFolder };
        Assert.ThrowsAny<OperationCanceledException>(() => new StudyRunner(new LabEnvironment(Path.GetTempPath())).Run(
            TinyStudy.Config, TinyStudy.Data(), CPU, inputs, e =>
            {
                events.Add(e);
                if (e is BatchProgress { Model: ModelRole.StudentDistilled, Batch: 2 }) cancel.Cancel();
            }, cancel.Token));

        Assert.Equal(2, Count<BatchProgress>(events, e => e.Model == ModelRole.StudentDistilled));
        var cancelled = Assert.Single(events.OfType<TrialCancelled>()).Trial;
        Assert.Equal((TrialStatus.Cancelled, 0), (cancelled.Status, cancelled.Epochs));
        Assert.Empty(events.OfType<StudyCompleted>());
    }

    private static string Numbers(StudyResult r) =>
        StripTimes(JsonSerializer.Serialize(new { r.Teachers, r.Baseline, r.Trials, r.Settings, r.Best }, StudyResult.JsonOptions));

    /// <summary>Epoch seconds and images per second are wall-clock measurements, not results.</summary>
    private static string StripTimes(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        void Strip(System.Text.Json.Nodes.JsonNode? n)
        {
            if (n is System.Text.Json.Nodes.JsonObject o)
            {
                o.Remove("seconds");
                o.Remove("imagesPerSecond");
                foreach (var (_, v) in o.ToList()) Strip(v);
            }
            else if (n is System.Text.Json.Nodes.JsonArray a)
                foreach (var v in a) Strip(v);
        }
        Strip(node);
        return node.ToJsonString();
    }
}
