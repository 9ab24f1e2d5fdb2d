using DistillLab.Core.Runtime;
using DistillLab.Web.Runs;
using DistillLab.Web.Studies;

namespace DistillLab.Web.Training;

/// <summary>The embedded engine: takes runs off the queue one at a time and trains each (RunExecution) on a dedicated
/// long-running thread. A failed run is recorded and the service goes on with the next.</summary>
/// <remarks>Studies wait in the same queue (<see cref="TrainingQueue"/>) and train on the same thread (StudyExecution).</remarks>
public sealed class TrainingService(
    RunRequests requests, RunRegistry registry, RunExecution execution, StudyRequests studies, StudyExecution studyExecution,
    IConfiguration configuration, ILogger<TrainingService> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // libtorch is set up once per process (Torch section: device, LibTorchPath, threads) before any run.
        TorchRuntime.Configure(configuration.GetSection("Torch").Get<TorchSettings>() ?? new TorchSettings());
        // Under the postgres job engine workers may be training runs right now: only the embedded engine's own runs
        // can have been left unfinished by this process.
        int interrupted = registry.ByWorkers ? 0 : registry.MarkInterrupted();
        if (interrupted > 0) logger.LogWarning("{Count} run(s) were left unfinished by the last server and are marked interrupted", interrupted);
        // A study goes on where it was: its finished trials are stored, the ones left train when its turn comes.
        int resumed = studies.ResumeUnfinished();
        if (resumed > 0) logger.LogInformation("{Count} study(ies) left unfinished by the last server are queued again", resumed);
        return base.StartAsync(cancellationToken);
    }

    // One thread for the service's whole life: TorchSharp's dispose scopes are per thread, and a fresh
    // thread per run made glibc hand libtorch a fresh malloc arena each run (the process grew run by run).
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => TrainLoop(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void TrainLoop(CancellationToken stoppingToken)
    {
        Thread.CurrentThread.Name = "DistillLab training";
        try
        {
            var queue = requests.Queue.Reader;
            while (queue.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
            {
                while (queue.TryRead(out var work))
                {
                    if (work.IsStudy)
                    {
                        requests.Queue.TrainingStudy = work.Id;
                        try { studyExecution.Run(work.Id, stoppingToken); }
                        finally { requests.Queue.TrainingStudy = null; }
                        continue;
                    }
                    var id = work.Id;
                    var live = registry.Live(id);
                    if (live is null || !live.TryClaim()) continue;
                    logger.LogInformation("Run {RunId} starts", id);
                    using var stop = CancellationTokenSource.CreateLinkedTokenSource(live.Cancellation.Token, stoppingToken);
                    RunOne(live, stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private void RunOne(LiveRun live, CancellationToken cancellationToken)
    {
        // The server is stopping, not the user cancelling: the run could not finish.
        if (execution.Run(live, cancellationToken) == RunEnd.Stopped)
            execution.End(live, RunStatus.Interrupted, "The server stopped while this run was training.");
    }
}
