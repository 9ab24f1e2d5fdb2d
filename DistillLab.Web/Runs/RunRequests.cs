using System.Globalization;
using DistillLab.Core.Data;
using DistillLab.Core.Download;
using DistillLab.Core.Experiments;
using DistillLab.Web.Settings;
using Microsoft.Extensions.Options;
using DistillLab.Core.Training;
using DistillLab.Web.Training;

namespace DistillLab.Web.Runs;

/// <summary>The answer to a run request: the new run, or why it was refused.</summary>
/// <param name="Unavailable">Why the run could not be recorded (the history database is locked); try again later.</param>
public sealed record SubmitResult(RunDetails? Run, IReadOnlyList<ConfigError> Errors, bool QueueFull, string? Unavailable = null)
{
    public bool Accepted => Run is not null;
}

public enum DeleteResult { Deleted, NotFound, Active }

/// <summary>Takes run requests from the form and the API: validates (LabConfig.Validate plus data roots), records, queues.</summary>
/// <param name="queue">The training thread's queue, shared with studies; a queue of its own when none is given (tests).</param>
/// <param name="jobs">The job engine (Jobs:Engine=postgres): runs go to it instead of the training thread's queue.</param>
public sealed class RunRequests(RunRegistry registry, RunEventStream events, IOptions<DashboardOptions> dashboard, IOptions<DataOptions> data,
    TrainingQueue? queue = null, IRunJobs? jobs = null)
{
    // The queue's bound is the number of runs waiting in the registry, not the channel's length: a cancelled queued run
    // stays in the channel until the training thread skips it, and must not hold a slot until then.
    private readonly TrainingQueue queue = queue ?? new TrainingQueue();
    private readonly Lock submitGate = new();
    private readonly LabEnvironment environment = data.Value.Environment;

    /// <summary>The queue the training thread reads: runs and studies.</summary>
    internal TrainingQueue Queue => queue;

    public const string PetImagesMissing = "petimages is not downloaded yet: download Cats vs Dogs first (the Lab page's Download button or POST /api/datasets/petimages/download).";

    /// <summary>Every problem with a request, one per field: LabConfig.Validate, then the data source (kind, data roots,
    /// folder exists, the petimages photos downloaded).</summary>
    public IReadOnlyList<ConfigError> Validate(LabConfig config)
    {
        var errors = config.Validate().ToList();
        if (errors.All(e => e.Field != "data"))
        {
            if (!DataSourceSpec.TryParse(config.Data, environment, out var spec, out var error))
                errors.Add(new ConfigError("data", error));
            else if (spec.Path is { } path && !Directory.Exists(path))
                errors.Add(new ConfigError("data", $"The folder '{path}' does not exist."));
            // Without this a petimages run was accepted, then failed at once for want of the photos.
            else if (spec.Kind == DataSourceKind.PetImages && spec.Path is null && !CatsDogsDataset.IsPresent(environment.PetImagesDirectory))
                errors.Add(new ConfigError("data", PetImagesMissing));
        }
        return errors;
    }

    public SubmitResult Submit(RunRequest request)
    {
        var (name, notes) = (RunLabel.Normalize(request.Name), RunLabel.Normalize(request.Notes));
        var errors = Validate(request.Config).Concat(RunLabel.Validate(name, notes)).ToList();
        if (errors.Count > 0) return new SubmitResult(null, errors, false);
        lock (submitGate)
        {
            var id = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
            // Saved-model paths are the service's business (ModelReuse), never a client's.
            var run = RunDetails.Queued(id, request.Config with { TeacherPath = null, ScratchPath = null }, request.ReuseTeacher, name, notes);
            if (registry.WaitingCount >= dashboard.Value.QueueCapacity) return new SubmitResult(null, [], true);
            // Recorded before it is queued: the training thread (or a worker) may take it at once.
            try
            {
                if (jobs is null) registry.Add(run, TeacherKey(run.Config), ScratchKey(run.Config));
                else registry.AddStored(run, TeacherKey(run.Config), ScratchKey(run.Config));
            }
            catch (Exception e) when (RunJournal.IsTransient(e))
            {
                return new SubmitResult(null, [], false, $"The run history database is busy ({e.Message}); nothing was queued. Try again in a moment.");
            }
            if (jobs is null) queue.Enqueue(QueuedWork.Run(id));
            else if (EnqueueJob(id) is { } failed) return new SubmitResult(null, [], false, failed);
            var position = registry.QueuePosition(id) ?? 1;
            events.Publish(new RunQueuedEvent(id, position, run.Config, run.ReuseTeacher));
            return new SubmitResult(registry.Get(id), [], false);
        }
    }

    // The run is stored; without its job no worker would ever take it, so it ends here with the reason.
    private string? EnqueueJob(string id)
    {
        try
        {
            jobs!.Enqueue(id);
            return null;
        }
        catch (Exception e)
        {
            registry.CancelQueued(id);
            return $"The job store cannot be reached ({e.Message}); the run was not queued. Try again in a moment.";
        }
    }

    /// <summary>Asks a run to stop: a queued run is dropped when its turn comes, a running one stops within a batch.</summary>
    public bool Cancel(string id)
    {
        var live = registry.Live(id);
        if (live is null) return jobs is not null && CancelJob(id);
        live.Cancellation.Cancel();
        if (live.TryClaim())
        {
            live.Update(s => s with { Status = RunStatus.Cancelled, FinishedAt = DateTimeOffset.UtcNow, Error = "Cancelled before it started.", Stage = null });
            registry.Finish(live);
            events.Publish(new RunCancelledEvent(id));
        }
        else events.Publish(new RunChangedEvent(id));
        return true;
    }

    // Job engine: a queued run is cancelled here; a running one by its worker, which sees its job withdrawn.
    private bool CancelJob(string id)
    {
        if (registry.Get(id) is not { IsActive: true }) return false;
        jobs!.Cancel(id);
        if (registry.CancelQueued(id)) events.Publish(new RunCancelledEvent(id));
        else events.Publish(new RunChangedEvent(id));
        return true;
    }

    /// <summary>Deletes a finished run with its epochs, predictions and files; an active run must be cancelled first.</summary>
    public DeleteResult Delete(string id)
    {
        if (registry.IsActive(id)) return DeleteResult.Active;
        if (!registry.Delete(id)) return DeleteResult.NotFound;
        events.Publish(new RunChangedEvent(id));
        return DeleteResult.Deleted;
    }

    /// <summary>What makes a trained teacher reusable (<see cref="ModelKey"/>), as stored with the run.</summary>
    public static string TeacherKey(LabConfig c) => ModelKey.For(ModelRole.Teacher, c).ToString();

    /// <summary>The same for the scratch student.</summary>
    public static string ScratchKey(LabConfig c) => ModelKey.For(ModelRole.StudentScratch, c).ToString();
}
