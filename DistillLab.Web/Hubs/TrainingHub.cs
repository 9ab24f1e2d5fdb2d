using DistillLab.Web.Runs;
using DistillLab.Web.Studies;
using Microsoft.AspNetCore.SignalR;
using DistillLab.Core.Training;

namespace DistillLab.Web.Hubs;

/// <summary>What outside clients (scripts, notebooks) receive; the same events the dashboard's components get.</summary>
public interface ITrainingClient
{
    Task RunQueued(RunQueuedEvent e);
    Task RunStarted(RunStartedEvent e);
    Task PhaseStarted(PhaseStartedEvent e);
    Task BatchProgress(BatchProgressEvent e);
    Task EpochCompleted(EpochCompletedEvent e);
    Task RunCompleted(RunCompletedEvent e);
    Task RunFailed(RunFailedEvent e);
    Task RunCancelled(RunCancelledEvent e);
    // Studies: the same stream; the model a study trains reports PhaseStarted, BatchProgress and EpochCompleted with
    // the study's id as runId.
    Task StudyQueued(StudyQueuedEvent e);
    Task StudyStarted(StudyStartedEvent e);
    Task TeacherReady(TeacherReadyEvent e);
    Task BaselineCompleted(BaselineCompletedEvent e);
    Task TrialStarted(TrialStartedEvent e);
    Task TrialCompleted(TrialCompletedEvent e);
    Task TrialPruned(TrialPrunedEvent e);
    Task TrialFailed(TrialFailedEvent e);
    Task StudyCompleted(StudyCompletedEvent e);
    Task StudyFailed(StudyFailedEvent e);
    Task StudyCancelled(StudyCancelledEvent e);
}

/// <summary>Live run and study events at /hubs/training; GetRun and GetStudy let a late joiner catch up on everything
/// already done.</summary>
public sealed class TrainingHub(RunRegistry runs, StudyRegistry studies) : Hub<ITrainingClient>
{
    public RunDetails? GetRun(string runId) => runs.Get(runId);

    public StudyDetails? GetStudy(string studyId) => studies.Get(studyId);
}

/// <summary>Relays the in-process event stream to every hub client.</summary>
public sealed class TrainingHubRelay(RunEventStream stream, IHubContext<TrainingHub, ITrainingClient> hub) : IHostedService
{
    private IDisposable? subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        subscription = stream.Subscribe(Send, outward: true);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        subscription?.Dispose();
        return Task.CompletedTask;
    }

    private Task Send(RunEvent e) => e switch
    {
        RunQueuedEvent x => hub.Clients.All.RunQueued(x),
        RunStartedEvent x => hub.Clients.All.RunStarted(x),
        PhaseStartedEvent x => hub.Clients.All.PhaseStarted(x),
        BatchProgressEvent x => hub.Clients.All.BatchProgress(x),
        EpochCompletedEvent x => hub.Clients.All.EpochCompleted(x),
        RunCompletedEvent x => hub.Clients.All.RunCompleted(x),
        RunFailedEvent x => hub.Clients.All.RunFailed(x),
        RunCancelledEvent x => hub.Clients.All.RunCancelled(x),
        StudyQueuedEvent x => hub.Clients.All.StudyQueued(x),
        StudyStartedEvent x => hub.Clients.All.StudyStarted(x),
        TeacherReadyEvent x => hub.Clients.All.TeacherReady(x),
        BaselineCompletedEvent x => hub.Clients.All.BaselineCompleted(x),
        TrialStartedEvent x => hub.Clients.All.TrialStarted(x),
        TrialCompletedEvent x => hub.Clients.All.TrialCompleted(x),
        TrialPrunedEvent x => hub.Clients.All.TrialPruned(x),
        TrialFailedEvent x => hub.Clients.All.TrialFailed(x),
        StudyCompletedEvent x => hub.Clients.All.StudyCompleted(x),
        StudyFailedEvent x => hub.Clients.All.StudyFailed(x),
        StudyCancelledEvent x => hub.Clients.All.StudyCancelled(x),
        _ => Task.CompletedTask,
    };
}
