using DistillLab.Web.Runs;
using DistillLab.Web.Training;
using Hangfire;
using Hangfire.Server;
using Hangfire.States;

namespace DistillLab.Web.Jobs;

/// <summary>A run as a Hangfire job on a worker: the same RunExecution as the embedded queue, plus what a job adds:
/// taking the run from the store, a data source this worker lacks, a withdrawn job (the run cancelled), and a worker
/// that stops (the run handed back at an epoch's end, its job queued again for another worker).</summary>
/// <remarks>A study trial is meant to become this kind of job too (issue 11): the argument is an id, the rest is read
/// from the database.</remarks>
public sealed class RunJob(RunRegistry registry, RunExecution execution, RunRequests requests, RunEventStream events,
    IHostApplicationLifetime lifetime, JobsSettings settings, IBackgroundJobClient client, ILogger<RunJob> logger)
{
    /// <param name="context">Filled in by Hangfire (null when enqueued).</param>
    /// <param name="cancellationToken">Hangfire's: cancelled when the job is withdrawn or the server's stop time is over.</param>
    // A run that fails in training is recorded as failed by RunExecution, which never throws: training it again is the
    // user's call. What reaches Hangfire's retry is a failure outside training: Hangfire activating the job or changing
    // its state, or the store, while PostgreSQL is away. Without a retry such a job stayed Failed and its run stayed
    // queued or running for good (as a study part did in CI, 3 December 2026). A retry claims the run again, or finds
    // it ended and does nothing.
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [1, 2, 5, 10, 20])]
    public void Train(string runId, PerformContext context, CancellationToken cancellationToken)
    {
        var live = registry.Adopt(runId, settings.WorkerName);
        if (live is null)
        {
            // Also a job Hangfire handed out again after its first worker ended the run (an outage hid that worker's renewals).
            logger.LogInformation("Run {RunId} had ended (completed, cancelled or deleted) before worker {Worker} took it: nothing to train", runId, settings.WorkerName);
            return;
        }
        logger.LogInformation("Run {RunId} starts on worker {Worker}", runId, settings.WorkerName);
        if (MissingData(live.Snapshot(null)) is { } problem)
        {
            execution.End(live, RunStatus.Failed, problem);
            events.Publish(new RunFailedEvent(runId, problem));
            return;
        }
        using var hardStop = new CancellationTokenSource();
        bool abandoned = false;
        // Deleted while the process goes on: the user cancelled. While it stops: the stop time is over, stop now.
        // Otherwise Hangfire took the job from this worker (requeued after its renewals stopped reaching the database):
        // stop without a word, the attempt that has the job now owns the run.
        using var watch = cancellationToken.Register(() =>
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested) hardStop.Cancel();
            else if (Deleted(context)) live.Cancellation.Cancel();
            else
            {
                abandoned = true;
                hardStop.Cancel();
            }
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(hardStop.Token, live.Cancellation.Token);
        var end = execution.Run(live, stop.Token, afterEpoch: () =>
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested)
                throw new OperationCanceledException($"Worker {settings.WorkerName} stops after this epoch.");
        });
        if (end != RunEnd.Stopped) return;
        if (abandoned)
        {
            logger.LogWarning("Run {RunId}: worker {Worker} lost its job to another attempt and stops training it", runId, settings.WorkerName);
            registry.Release(live);
            cancellationToken.ThrowIfCancellationRequested();
        }
        HandBack(live);
        // Past the stop time Hangfire itself requeues a job that ends this way; before it, the job is queued again here.
        cancellationToken.ThrowIfCancellationRequested();
        client.ChangeState(context.BackgroundJob.Id,
            new EnqueuedState { Reason = $"Handed back by worker {settings.WorkerName}, which stops." }, ProcessingState.StateName);
    }

    // The user's cancel deletes the job (HangfireRunJobs.Cancel); a job that could not be read counts as deleted, as before.
    private bool Deleted(PerformContext context)
    {
        try
        {
            using var connection = context.Storage.GetConnection();
            var state = connection.GetStateData(context.BackgroundJob.Id)?.Name;
            return state is null || state == DeletedState.StateName;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            logger.LogWarning("Job {JobId}: its state could not be read ({Reason}); treated as cancelled", context.BackgroundJob.Id, e.Message);
            return true;
        }
    }

    private void HandBack(LiveRun live)
    {
        logger.LogInformation("Run {RunId} is handed back: worker {Worker} stops", live.Id, settings.WorkerName);
        live.Update(s => s with { Status = RunStatus.Queued, Stage = "queued", Progress = null, StartedAt = null, Worker = null });
        registry.Finish(live);
        events.Publish(new RunChangedEvent(live.Id));
    }

    // Checked on the worker: a folder the dashboard saw may not exist here.
    private string? MissingData(RunDetails run) => requests.Validate(run.Config).FirstOrDefault(e => e.Field == "data") is { } error
        ? $"Worker {settings.WorkerName} cannot train this run: its data source '{run.Config.Data}' is not usable there ({error.Message})"
        : null;
}
