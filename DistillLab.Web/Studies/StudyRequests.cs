using System.Globalization;
using DistillLab.Core.Experiments;
using DistillLab.Core.Studies;
using DistillLab.Web.Runs;
using DistillLab.Web.Settings;
using DistillLab.Web.Training;
using Microsoft.Extensions.Options;

namespace DistillLab.Web.Studies;

/// <summary>The answer to a study request: its id, or why it was refused.</summary>
public sealed record StudySubmitResult(StudyDetails? Study, IReadOnlyList<ConfigError> Errors, bool QueueFull = false, string? Unavailable = null)
{
    public bool Accepted => Study is not null;
}

/// <summary>Takes study requests from the page and the API: validates (StudyConfig.Validate, the same as the command
/// line's, plus the data source checks a run gets), records, queues with the runs; cancels; re-queues after a restart.</summary>
/// <param name="jobs">The job engine (Jobs:Engine=postgres): a study becomes jobs for the workers instead of waiting in
/// this process's queue, and nothing here holds or resumes it.</param>
public sealed class StudyRequests(StudyRegistry registry, RunRequests runs, TrainingQueue queue, RunEventStream events,
    IOptions<DashboardOptions> dashboard, IStudyJobs? jobs = null)
{
    private readonly Lock submitGate = new();

    /// <summary>Every problem with the study, one or more per field (camelCase names); empty when it can start.</summary>
    public IReadOnlyList<ConfigError> Validate(StudyConfig config)
    {
        var errors = config.Validate().ToList();
        // The data source as a run's (roots, folder exists, photos downloaded), when the config itself found it fine.
        if (errors.All(e => e.Field != "data"))
            errors.AddRange(runs.Validate(config.Base).Where(e => e.Field == "data"));
        return errors;
    }

    public StudySubmitResult Submit(StudyConfig config)
    {
        var errors = Validate(config);
        if (errors.Count > 0) return new StudySubmitResult(null, errors);
        lock (submitGate)
        {
            if (registry.WaitingCount >= dashboard.Value.QueueCapacity) return new StudySubmitResult(null, [], QueueFull: true);
            var id = "study-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
            var study = StudyDetails.Queued(id, config);
            if (jobs is not null) return SubmitAsJobs(study);
            try { registry.Add(study); }
            catch (Exception e) when (RunJournal.IsTransient(e))
            {
                return new StudySubmitResult(null, [], Unavailable: $"The run history database is busy ({e.Message}); nothing was queued. Try again in a moment.");
            }
            queue.Enqueue(QueuedWork.Study(id));
            events.Publish(new StudyQueuedEvent(id, registry.QueuePosition(id) ?? 1, config, study.TrialCount));
            return new StudySubmitResult(registry.Get(id), []);
        }
    }

    private StudySubmitResult SubmitAsJobs(StudyDetails study)
    {
        try
        {
            registry.Store.Insert(study);
            jobs!.Enqueue(study);
        }
        catch (Exception e) when (RunJournal.IsTransient(e) || e is Npgsql.NpgsqlException)
        {
            registry.Store.End(study.Id, StudyStatus.Failed, $"Its jobs could not be queued: {e.Message}");
            return new StudySubmitResult(null, [], Unavailable: $"PostgreSQL could not take the study's jobs ({e.Message}); nothing was queued. Try again in a moment.");
        }
        events.Publish(new StudyQueuedEvent(study.Id, registry.Store.Unfinished().IndexOf(study.Id) + 1, study.Config, study.TrialCount));
        return new StudySubmitResult(registry.Get(study.Id), []);
    }

    /// <summary>Asks a study to stop: a queued one is dropped when its turn comes, a running one stops within a batch.
    /// False when it is not queued or running.</summary>
    public bool Cancel(string id)
    {
        var live = registry.Live(id);
        if (live is null) return jobs is not null && CancelJobs(id);
        live.Cancellation.Cancel();
        if (live.TryClaim())
        {
            live.Update(s => s with { Status = StudyStatus.Cancelled, FinishedAt = DateTimeOffset.UtcNow, Error = "Cancelled before it started.", Stage = null });
            registry.Finish(live);
            events.Publish(new StudyCancelledEvent(id));
        }
        else events.Publish(new RunChangedEvent(id));
        return true;
    }

    // The job engine: the study ends in the store first, so a part whose job is stopped by the withdrawal sees it ended.
    private bool CancelJobs(string id)
    {
        if (!registry.Store.End(id, StudyStatus.Cancelled, "Cancelled.")) return false;
        jobs!.Cancel(id);
        events.Publish(new StudyCancelledEvent(id));
        return true;
    }

    /// <summary>Queues again the studies a stopped server left queued or running, with what they had finished. Not under
    /// the job engine: there a study's jobs outlive any process, and workers may be training it right now.</summary>
    public int ResumeUnfinished()
    {
        if (jobs is not null) return 0;
        var unfinished = registry.Store.Unfinished();
        foreach (var id in unfinished)
        {
            if (registry.Store.Load(id) is not { } study) continue;
            registry.Add(study with { Status = StudyStatus.Queued, Stage = "queued" }, storeIt: false);
            queue.Enqueue(QueuedWork.Study(id));
        }
        return unfinished.Count;
    }
}
