using DistillLab.Core.Studies;
using DistillLab.Web.Runs;
using DistillLab.Web.Studies;
using Hangfire;

namespace DistillLab.Web.Jobs;

/// <summary>The parts of a study as Hangfire jobs on a worker (queued by <see cref="HangfireStudyJobs"/>): each checks
/// that its study is still going, runs its part (<see cref="StudyPartExecution"/>), and fails the study with the part,
/// the worker and the reason when the part cannot be done. Execution is at least once: a job whose worker was killed
/// runs again elsewhere, and a part that another attempt stored is not stored again.</summary>
public sealed class StudyJob(StudyStore store, StudyPartExecution parts, HangfireStudyJobs jobs, RunEventStream events,
    JobsSettings settings, ILogger<StudyJob> logger)
{
    /// <param name="cancellationToken">Hangfire's: cancelled when the job is withdrawn (the study cancelled) or the worker stops.</param>
    [AutomaticRetry(Attempts = 0)] // a failed part fails the study, which the user may submit again
    public void Teacher(string studyId, int seed, CancellationToken cancellationToken) =>
        Run(studyId, $"the teacher of seed {seed}", config => parts.Teacher(studyId, config, seed, key =>
            TeacherClaim.Take(settings.RequireConnection(), key, () => logger.LogInformation(
                "Study {StudyId}: worker {Worker} waits for the teacher of seed {Seed}, which another worker is training", studyId, settings.WorkerName, seed),
                cancellationToken), cancellationToken));

    [AutomaticRetry(Attempts = 0)]
    public void Baseline(string studyId, int seed, CancellationToken cancellationToken) =>
        Run(studyId, $"the baseline of seed {seed}", config => parts.Baseline(studyId, config, seed, () => jobs.EnqueueConfirm(studyId), cancellationToken));

    [AutomaticRetry(Attempts = 0)]
    public void Trial(string studyId, int seed, double alpha, double temperature, bool scaleByTemperatureSquared, CancellationToken cancellationToken)
    {
        var key = new TrialKey(alpha, temperature, scaleByTemperatureSquared, seed);
        Run(studyId, $"trial {key}", config => parts.Trial(studyId, config, key, settings.WorkerName, () => jobs.EnqueueConfirm(studyId), cancellationToken));
    }

    [AutomaticRetry(Attempts = 0)]
    public void Confirm(string studyId, CancellationToken cancellationToken) =>
        Run(studyId, "the confirm step", _ => parts.Confirm(studyId, cancellationToken));

    private void Run(string studyId, string part, Action<StudyConfig> work)
    {
        if (store.Head(studyId) is not { IsActive: true } study)
        {
            logger.LogInformation("Study {StudyId} had ended before worker {Worker} took {Part}: nothing to do", studyId, settings.WorkerName, part);
            return;
        }
        if (store.MarkRunning(studyId)) events.Publish(new StudyStartedEvent(studyId, 0));
        logger.LogInformation("Study {StudyId}: {Part} starts on worker {Worker}", studyId, part, settings.WorkerName);
        try
        {
            work(study.Config);
        }
        catch (OperationCanceledException) when (store.Head(studyId) is { IsActive: false })
        {
            logger.LogInformation("Study {StudyId} ended while worker {Worker} trained {Part}: it stops", studyId, settings.WorkerName, part);
        }
        catch (OperationCanceledException)
        {
            throw; // the worker stops: Hangfire queues the job again for another
        }
        catch (Exception e)
        {
            string message = $"Worker {settings.WorkerName} could not train {part}: {e.Message}";
            logger.LogError(e, "Study {StudyId}: {Message}", studyId, message);
            if (store.End(studyId, StudyStatus.Failed, message)) events.Publish(new StudyFailedEvent(studyId, message));
        }
    }
}
