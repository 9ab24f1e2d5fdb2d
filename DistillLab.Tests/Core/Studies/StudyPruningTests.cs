using DistillLab.Tests.Support;
using DistillLab.Core;
using DistillLab.Core.Experiments;
using DistillLab.Core.Studies;
using DistillLab.Core.Training;

namespace DistillLab.Tests.Core.Studies;

[Collection(TorchCollection.Name)]
public sealed class StudyPruningTests
{
    /// <summary>With halving and 3 student epochs (one rung, after epoch 1), each seed's trials are stopped exactly where
    /// the rule, replayed on their epoch-1 validation accuracies in the order they ran, says; pruned trials are left
    /// out of the settings, and only a setting completed on every seed can be best.</summary>
    [Fact]
    public void HalvingStopsTrialsWhereTheRuleSaysAndLeavesThemOutOfTheChoice()
    {
        var config = TinyStudy.Config with { Base = TinyStudy.Config.Base with { StudentEpochs = 3 }, Pruning = "halving" };
        var events = new List<LabEvent>();

        var result = TinyStudy.Run(config, TinyStudy.Data(), events: events);

        var rule = new HalvingPruner(3);
        foreach (var trial in result.Trials)
        {
            bool goesOn = rule.Continue(trial.Seed, 1, trial.History[0].ValAccuracy);
            Assert.Equal(goesOn ? (TrialStatus.Completed, 3) : (TrialStatus.Pruned, 1), (trial.Status, trial.Epochs));
        }
        Assert.Equal(result.Trials.Count(t => t.Status == TrialStatus.Pruned), events.OfType<TrialPruned>().Count());
        foreach (var s in result.Settings)
            Assert.Equal(result.Trials.Count(t => t.Key.Setting == s.Setting && t.Status == TrialStatus.Completed), s.Seeds);
        var best = result.Best!;
        Assert.Equal(2, result.Settings.Single(s => s.Alpha == best.Alpha && s.Temperature == best.Temperature).Seeds);
    }

    /// <summary>A temperature so small that the softened logits overflow makes that trial's loss NaN: it is recorded as
    /// failed with the reason, and the study goes on with the others.</summary>
    [Fact]
    public void AFailedTrialIsRecordedAndTheStudyGoesOn()
    {
        var config = TinyStudy.Config with { Alpha = StudyValues.Of(0.1), Temperature = StudyValues.Of(1e-45, 5) };
        var events = new List<LabEvent>();

        var result = TinyStudy.Run(config, TinyStudy.Data(), events: events);

        var failed = result.Trials.Where(t => t.Temperature == 1e-45).ToList();
        Assert.All(failed, t => Assert.Equal(TrialStatus.Failed, t.Status));
        Assert.All(failed, t => Assert.Contains("diverged", t.Error));
        Assert.Equal(2, events.OfType<TrialFailed>().Count());
        Assert.All(result.Trials.Where(t => t.Temperature == 5), t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.Equal(5, result.Best!.Temperature);
    }
}
