using DistillLab.Core.Experiments;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;

namespace DistillLab.Tests.Web.Runs;

/// <summary>A dashboard's view of a run another process trains: the stored run, with the stage, progress and epochs that
/// events brought before the store had them.</summary>
public sealed class RemoteRunsTests
{
    private static EpochMetrics Epoch(int n) => new(n, 0.5 + n / 100.0, 0.6, 0.5, 0.7, 1, 100);

    private static RunDetails Running(params EpochMetrics[] stored) =>
        new RunDetails("run-1", RunStatus.Running, new LabConfig(), true, DateTimeOffset.UtcNow) { Teacher = ModelView.Empty with { History = stored } };

    [Fact]
    public void AnEpochThatArrivedBeforeItsWriteShowsOnceBesideTheStoredOnes()
    {
        var remote = new RemoteRuns();
        var progress = new RunProgress(ModelRole.Teacher, 3, 8, 0, 10, null);
        remote.Note(new RunStartedEvent("run-1", null), "loading data", null);
        remote.Note(new EpochCompletedEvent("run-1", ModelRole.Teacher, Epoch(1)), "training", null);
        remote.Note(new EpochCompletedEvent("run-1", ModelRole.Teacher, Epoch(2)), "training", progress);

        var seen = remote.Apply(Running(Epoch(1)));

        Assert.Equal([1, 2], seen.Teacher.History.Select(e => e.Epoch));
        Assert.Equal(("training", progress), (seen.Stage, seen.Progress));
    }

    [Fact]
    public void AFinishedRunIsShownAsStored()
    {
        var remote = new RemoteRuns();
        remote.Note(new EpochCompletedEvent("run-1", ModelRole.Teacher, Epoch(1)), "training", null);
        remote.Note(new RunCompletedEvent("run-1", ModelView.Empty, ModelView.Empty, ModelView.Empty, 10), null, null);

        var stored = Running();
        Assert.Same(stored, remote.Apply(stored));
        var completed = stored with { Status = RunStatus.Completed };
        Assert.Same(completed, remote.Apply(completed));
    }

    [Fact]
    public void ARunTakenAgainByAnotherWorkerForgetsTheFirstAttemptsEpochs()
    {
        var remote = new RemoteRuns();
        remote.Note(new EpochCompletedEvent("run-1", ModelRole.Teacher, Epoch(1)), "training", null);
        remote.Note(new EpochCompletedEvent("run-1", ModelRole.Teacher, Epoch(2)), "training", null);
        remote.Note(new RunStartedEvent("run-1", null), "loading data", null);

        var seen = remote.Apply(Running());

        Assert.Empty(seen.Teacher.History);
        Assert.Equal("loading data", seen.Stage);
    }
}
