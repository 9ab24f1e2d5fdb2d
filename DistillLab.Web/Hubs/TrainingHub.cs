using DistillLab.Web.Runs;
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
}

/// <summary>Live run events at /hubs/training; GetRun lets a late joiner catch up on every epoch already done.</summary>
public sealed class TrainingHub(RunRegistry runs) : Hub<ITrainingClient>
{
    public RunDetails? GetRun(string runId) => runs.Get(runId);
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
        _ => Task.CompletedTask,
    };
}
