using DistillLab.Core.Studies;
using DistillLab.Web.Runs;
using DistillLab.Web.Runs.RunHistory;
using DistillLab.Web.Studies;
using Hangfire;
using Hangfire.Server;
using Hangfire.States;

namespace DistillLab.Web.Jobs;

/// <summary>The parts of a study as Hangfire jobs on a worker (queued by <see cref="HangfireStudyJobs"/>): each checks
/// that its study is still going, runs its part (<see cref="StudyPartExecution"/>), and fails the study with the part,
/// the worker and the reason when the part cannot be done. Execution is at least once: a job whose worker was killed
/// runs again elsewhere, and a part that another attempt stored is not stored again.</summary>
/// <remarks>A part keeps nothing half-done, so a stopping worker (SIGTERM) stops its part within a batch and hands the
/// job back at once, and a part whose database work failed while PostgreSQL was away is simply done again
/// (DatabaseRetry.StudyPart: up to 8 tries, 1-30 s apart).</remarks>
public sealed class StudyJob(StudyStore store, StudyPartExecution parts, HangfireStudyJobs jobs, RunEventStream events,
    JobsSettings settings, IHostApplicationLifetime lifetime, IBackgroundJobClient client, ILogger<StudyJob> logger)
{
    /// <param name="context">Filled in by Hangfire (null when enqueued).</param>
    /// <param name="cancellationToken">Hangfire's: cancelled when the job is withdrawn (the study cancelled).</param>
    // A failed part fails the study in Run, which never throws it on. So only a failure outside our code (Hangfire
    // activating the job or changing its state while PostgreSQL restarts) reaches Hangfire's retry: with none, the part
    // stayed Failed unseen and the study hung running (CI, 3 December 2026).
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [1, 2, 5, 10, 20])]
    public void Teacher(string studyId, int seed, PerformContext context, CancellationToken cancellationToken) =>
        Run(studyId, $"the teacher of seed {seed}", context, cancellationToken, (config, stop) => parts.Teacher(studyId, config, seed, key =>
            TeacherClaim.Take(settings.RequireConnection(), key, () => logger.LogInformation(
                "Study {StudyId}: worker {Worker} waits for the teacher of seed {Seed}, which another worker is training", studyId, settings.WorkerName, seed),
                stop), stop));

    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [1, 2, 5, 10, 20])]
    public void Baseline(string studyId, int seed, PerformContext context, CancellationToken cancellationToken) =>
        Run(studyId, $"the baseline of seed {seed}", context, cancellationToken,
            (config, stop) => parts.Baseline(studyId, config, seed, () => jobs.EnqueueConfirm(studyId), stop));

    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [1, 2, 5, 10, 20])]
    public void Trial(string studyId, int seed, double alpha, double temperature, bool scaleByTemperatureSquared, PerformContext context,
        CancellationToken cancellationToken)
    {
        var key = new TrialKey(alpha, temperature, scaleByTemperatureSquared, seed);
        Run(studyId, $"trial {key}", context, cancellationToken,
            (config, stop) => parts.Trial(studyId, config, key, settings.WorkerName, () => jobs.EnqueueConfirm(studyId), stop));
    }

    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [1, 2, 5, 10, 20])]
    public void Confirm(string studyId, PerformContext context, CancellationToken cancellationToken) =>
        Run(studyId, "the confirm step", context, cancellationToken, (_, stop) => parts.Confirm(studyId, stop));

    private void Run(string studyId, string part, PerformContext? context, CancellationToken jobToken, Action<StudyConfig, CancellationToken> work)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(jobToken, lifetime.ApplicationStopping);
        var again = DatabaseRetry.Pipeline(DatabaseRetry.StudyPart, DatabaseRetry.IsAway, notice => logger.LogWarning(
            "Study {StudyId}: {Part} on worker {Worker} could not reach PostgreSQL ({Reason}); doing it again in {Seconds} s",
            studyId, part, settings.WorkerName, notice.Error.Message, notice.Seconds));
        try
        {
            again.Execute(token =>
            {
                if (store.Head(studyId) is not { IsActive: true } study)
                {
                    logger.LogInformation("Study {StudyId} had ended before worker {Worker} took {Part}: nothing to do", studyId, settings.WorkerName, part);
                    return;
                }
                if (store.MarkRunning(studyId)) events.Publish(new StudyStartedEvent(studyId, 0));
                logger.LogInformation("Study {StudyId}: {Part} starts on worker {Worker}", studyId, part, settings.WorkerName);
                work(study.Config, token);
            }, stop.Token);
        }
        catch (OperationCanceledException) when (store.Head(studyId) is { IsActive: false })
        {
            logger.LogInformation("Study {StudyId} ended while worker {Worker} trained {Part}: it stops", studyId, settings.WorkerName, part);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && context is not null)
        {
            logger.LogInformation("Study {StudyId}: {Part} is handed back: worker {Worker} stops", studyId, part, settings.WorkerName);
            client.ChangeState(context.BackgroundJob.Id,
                new EnqueuedState { Reason = $"Handed back by worker {settings.WorkerName}, which stops." }, ProcessingState.StateName);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            string message = $"Worker {settings.WorkerName} could not train {part}: {e.Message}";
            logger.LogError(e, "Study {StudyId}: {Message}", studyId, message);
            if (store.End(studyId, StudyStatus.Failed, message)) events.Publish(new StudyFailedEvent(studyId, message));
        }
    }
}
