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
public sealed class StudyRequests(StudyRegistry registry, RunRequests runs, TrainingQueue queue, RunEventStream events,
    IOptions<DashboardOptions> dashboard)
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

    /// <summary>Asks a study to stop: a queued one is dropped when its turn comes, a running one stops within a batch.
    /// False when it is not queued or running.</summary>
    public bool Cancel(string id)
    {
        var live = registry.Live(id);
        if (live is null) return false;
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

    /// <summary>Queues again the studies a stopped server left queued or running, with what they had finished.</summary>
    public int ResumeUnfinished()
    {
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
