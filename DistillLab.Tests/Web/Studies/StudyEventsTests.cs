using DistillLab.Tests.Support;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;
using DistillLab.Web.Studies;
using Microsoft.AspNetCore.SignalR.Client;

namespace DistillLab.Tests.Web.Studies;

/// <summary>A study's events reach hub clients on the one stream, and GetStudy lets a late joiner catch up.</summary>
[Collection(DashboardCollection.Name)]
public sealed class StudyEventsTests
{
    [Fact]
    public async Task AHubClientHearsTheStudyFromQueuedToCompletedWithItsTrialsEpochs()
    {
        var engine = new ScriptedStudyEngine();
        using var host = StudyHostExtensions.Host(engine);
        using var http = host.Http();
        await using var hub = await host.ConnectHubAsync();
        var queued = new TaskCompletionSource<StudyQueuedEvent>();
        var completed = new TaskCompletionSource<StudyCompletedEvent>();
        var trials = new List<TrialCompletedEvent>();
        var epochs = new List<EpochCompletedEvent>();
        hub.On<StudyQueuedEvent>("StudyQueued", e => queued.TrySetResult(e));
        hub.On<TrialCompletedEvent>("TrialCompleted", e => { lock (trials) trials.Add(e); });
        hub.On<EpochCompletedEvent>("EpochCompleted", e => { lock (epochs) epochs.Add(e); });
        hub.On<StudyCompletedEvent>("StudyCompleted", e => completed.TrySetResult(e));

        var id = await http.SubmitStudyAsync(StudyHostExtensions.TinyStudy());
        var q = await queued.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((id, 8), (q.StudyId, q.Trials));
        var done = await completed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(id, done.StudyId);
        Assert.Equal((0.5, 5.0), (done.Best!.Alpha, done.Best.Temperature));

        var study = await hub.InvokeAsync<StudyDetails?>("GetStudy", id);
        Assert.NotNull(study);
        Assert.Equal(8, study.Trials.Count);
        Assert.Null(await hub.InvokeAsync<StudyDetails?>("GetStudy", "no-such-study"));
        lock (trials)
        {
            // Every trial's event came before the study's end (the relay keeps publish order).
            Assert.Equal(8, trials.Count);
            Assert.Equal(study.Trials.Select(t => t.Key), trials.Select(t => t.Trial.Key));
        }
        lock (epochs)
        {
            // The run events of the models in training carry the study's id: 2 teachers, 2 baselines, 8 trials, 1 epoch each.
            Assert.Equal(12, epochs.Count(e => e.RunId == id));
            Assert.Equal(8, epochs.Count(e => e.Model == ModelRole.StudentDistilled));
        }
    }
}
