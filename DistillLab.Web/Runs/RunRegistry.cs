using System.Collections.Concurrent;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Export;
using DistillLab.Core.Inference;
using DistillLab.Core.Insight;
using DistillLab.Core.Training;
using DistillLab.Web.Training;

namespace DistillLab.Web.Runs;

/// <summary>Every run, read: the live state of queued and running runs (in memory, mutated by the training thread) in
/// front of the SQLite history, and each finished run's saved files. Snapshots are immutable <see cref="RunDetails"/>.</summary>
/// <remarks>With <see cref="RunRequests"/> (submit, cancel, delete) this is the one run service: only these two, and
/// ModelReuse behind them, touch the store (<see cref="RunStore"/>, through <see cref="RunJournal"/> for the training
/// side's writes) and the run folders (<see cref="RunArtifacts"/>). RunServiceBoundaryTests checks it.</remarks>
/// <param name="queue">The training queue, to count a study in training ahead of a waiting run; none in tests.</param>
/// <param name="remote">Given under the postgres job engine: runs are queued and trained by workers (other processes,
/// or this one), so the queue and the running runs are the store's, with what events told laid over (RemoteRuns).</param>
public sealed class RunRegistry(RunStore store, RunJournal journal, RunArtifacts artifacts, TrainingQueue? queue = null, RemoteRuns? remote = null)
{
    private readonly ConcurrentDictionary<string, LiveRun> active = new();

    public RunDetails? Get(string id)
    {
        if (active.TryGetValue(id, out var live)) return live.Snapshot(QueuePosition(id));
        var stored = store.Load(id);
        if (stored is null || remote is null) return stored;
        return remote.Apply(stored) with { QueuePosition = stored.Status == RunStatus.Queued ? QueuePosition(id) : null };
    }

    /// <summary>The run the Lab page shows: the running one, else the oldest queued, else the newest stored.</summary>
    public RunDetails? Current()
    {
        // A finished run whose end is still waiting for the database stays here too, but is not current.
        var live = active.Values.Where(r => r.IsRunning || r.IsWaiting).OrderByDescending(r => r.IsRunning).ThenBy(r => r.CreatedAt).FirstOrDefault();
        if (live is not null) return Get(live.Id);
        var runs = store.List();
        var current = remote is null ? null
            : runs.Where(r => r.IsActive).OrderByDescending(r => r.Status == RunStatus.Running).ThenBy(r => r.CreatedAt).FirstOrDefault();
        current ??= runs.FirstOrDefault();
        return current is null ? null : Get(current.Id);
    }

    /// <summary>Every run, newest first, without the stored runs' epoch histories.</summary>
    public IReadOnlyList<RunDetails> List()
    {
        var stored = store.List();
        var waiting = Waiting();
        return stored.Select(r => active.TryGetValue(r.Id, out var live) ? live.Snapshot(QueuePosition(r.Id))
            : remote is null ? r : remote.Apply(r) with { QueuePosition = Position(waiting, r.Id) }).ToList();
    }

    /// <summary>Completed runs, newest finished first, each with its epochs, read in one go.</summary>
    public IReadOnlyList<RunDetails> Completed() => store.Completed();

    /// <summary>A completed run's stored test images with the three models' predictions, in order.</summary>
    public IReadOnlyList<StoredPrediction> Predictions(string id) => store.LoadPredictions(id);

    /// <summary>A stored test image of the run as PNG, or null when the run has no such image.</summary>
    public byte[]? TestImage(string id, int index, int imageSize) => artifacts.Thumbnail(id, index, imageSize);

    /// <summary>True when the run's three trained models are saved (it completed, and was not deleted).</summary>
    public bool HasModels(string id) => artifacts.HasModels(id);

    /// <summary>The run's three models' predictions for one picture (see <see cref="RunArtifacts.PredictUpload"/>).</summary>
    public (Prediction Teacher, Prediction Scratch, Prediction Distilled) Predict(string id, ImageSet image) => artifacts.PredictUpload(id, image);

    /// <summary>Writes waiting for a busy database, and why (GET /healthz).</summary>
    public (int Count, string? Reason) PendingWrites => journal.Pending;

    /// <summary>The runs waiting for their turn, first to start first, each with its QueuePosition.</summary>
    public IReadOnlyList<RunDetails> Queue() => remote is null
        ? active.Values.Where(r => r.IsWaiting).OrderBy(r => r.CreatedAt).Select((r, at) => r.Snapshot(at + 1)).ToList()
        : Waiting().Select((id, at) => Get(id)! with { QueuePosition = at + 1 }).ToList();

    /// <summary>Where a waiting run stands counting what trains: 1 = next to train when nothing runs,
    /// 2 = first in the queue behind a running run or study, and so on; null when it is not waiting. Studies waiting
    /// ahead of it are not counted (the page and API show them on their own queue).</summary>
    public int? PlaceInLine(string id) =>
        QueuePosition(id) is { } position ? position + (AnyRunning || queue?.TrainingStudy is not null ? 1 : 0) : null;

    private bool AnyRunning => active.Values.Any(r => r.IsRunning) || (remote is not null && store.List().Any(r => r.Status == RunStatus.Running));

    /// <summary>True while a study trains (runs queued meanwhile wait for it).</summary>
    public bool StudyTraining => queue?.TrainingStudy is not null;

    /// <summary>Runs accepted and not yet training, cancelled ones excluded: what the queue's capacity bounds.</summary>
    public int WaitingCount => Waiting().Count;

    public int? QueuePosition(string id) => Position(Waiting(), id);

    private static int? Position(List<string> waiting, string id) => waiting.IndexOf(id) is var at and >= 0 ? at + 1 : null;

    // The waiting runs' ids, first to start first: this process's queue, or the store's under the job engine.
    private List<string> Waiting() => remote is null
        ? active.Values.Where(r => r.IsWaiting).OrderBy(r => r.CreatedAt).Select(r => r.Id).ToList()
        : store.List().Where(r => r.Status == RunStatus.Queued).OrderBy(r => r.CreatedAt).Select(r => r.Id).ToList();

    internal LiveRun Add(RunDetails run, string teacherKey, string scratchKey)
    {
        store.Insert(run, teacherKey, scratchKey);
        var live = new LiveRun(run);
        active[run.Id] = live;
        return live;
    }

    internal LiveRun? Live(string id) => active.TryGetValue(id, out var live) ? live : null;

    /// <summary>The run's live state when this process trains it; null otherwise (no store read).</summary>
    public RunDetails? LiveSnapshot(string id) => Live(id)?.Snapshot(null);

    /// <summary>Records a run that a worker will take (the job engine): stored only, no live copy here.</summary>
    internal void AddStored(RunDetails run, string teacherKey, string scratchKey) => store.Insert(run, teacherKey, scratchKey);

    /// <summary>A worker takes a run to train it here (see <see cref="RunStore.Claim"/>): its live state starts from the
    /// stored request, marked with the worker; null when the run is gone or ended.</summary>
    internal LiveRun? Adopt(string id, string worker)
    {
        if (!store.Claim(id) || store.Load(id) is not { } stored) return null;
        var run = new RunDetails(stored.Id, RunStatus.Queued, stored.Config, stored.ReuseTeacher, stored.CreatedAt)
        {
            Name = stored.Name, Notes = stored.Notes, Stage = "starting", Worker = worker,
        };
        return active[id] = new LiveRun(run);
    }

    /// <summary>Cancels a run no worker has taken yet (the job engine); false when it is not queued.</summary>
    internal bool CancelQueued(string id) => store.CancelQueued(id, "Cancelled before it started.");

    /// <summary>Stores the run's end state and then lets it go from memory; while the database is busy the run stays
    /// here, so every page and API answer shows its true state until the write lands.</summary>
    internal void Finish(LiveRun live) =>
        journal.Write(s => s.Update(live.Snapshot(null)), () => Release(live), stopOnFailure: false);

    /// <summary>Lets go of this attempt's live state without storing anything: its job went to another attempt, which
    /// owns the run's stored state from now on. Only this attempt's entry goes, never a newer one for the same run.</summary>
    internal void Release(LiveRun live) => active.TryRemove(new KeyValuePair<string, LiveRun>(live.Id, live));

    // The training side's writes go through the journal, in order (see RunJournal).

    /// <summary>Stores the live run's state as it is now (everything but the epochs).</summary>
    internal void RecordState(LiveRun live)
    {
        var now = live.Snapshot(null);
        journal.Write(s => s.Update(now));
    }

    /// <summary>Stores one epoch of a live run's model.</summary>
    internal void RecordEpoch(string id, ModelRole role, EpochMetrics metrics) => journal.Write(s => s.AddEpoch(id, role, metrics));

    /// <summary>Saves a finished run's models and test images and measures them (see <see cref="RunArtifacts.Save"/>).</summary>
    internal (ModelView Teacher, ModelView Scratch, ModelView Distilled) SaveArtifacts(string id, LabOutcome outcome, ModelView teacher, ModelView scratch, ModelView distilled) =>
        artifacts.Save(id, outcome, teacher, scratch, distilled);

    /// <summary>Runs left queued or running by a server that stopped: marked interrupted before this server takes any.</summary>
    internal int MarkInterrupted() => store.MarkInterrupted();

    /// <summary>Deletes a finished run's history and files; false for an unknown id.</summary>
    internal bool Delete(string id)
    {
        if (!store.Delete(id)) return false;
        artifacts.Delete(id);
        return true;
    }

    public bool IsActive(string id) => active.ContainsKey(id) || (remote is not null && store.Load(id) is { IsActive: true });

    /// <summary>Stores a run's name and notes, also in the live state of an active run; false for an unknown id.</summary>
    public bool SetLabel(string id, string? name, string? notes)
    {
        if (!store.SetLabel(id, name, notes)) return false;
        Live(id)?.Update(s => s with { Name = name, Notes = notes });
        return true;
    }

    /// <summary>True while any run is queued or training.</summary>
    public bool HasActiveRuns => !active.IsEmpty || (remote is not null && store.List().Any(r => r.IsActive));

    /// <summary>True when runs are queued and trained by workers (the postgres job engine), not by this process alone.</summary>
    public bool ByWorkers => remote is not null;

    /// <summary>A finished run's test-split logits; null for a run finished before they were kept.</summary>
    public TestLogits? TestLogits(string id) => artifacts.TestLogits(id);

    /// <summary>How many test images the run stored (the first of its test split, with thumbnails and logits).</summary>
    public int StoredImageCount(string id, int imageSize) => artifacts.StoredImageCount(id, imageSize);

    /// <summary>One saved model of a finished run as an ONNX or safetensors file; null when the run holds no such model
    /// (see <see cref="RunArtifacts.Export"/>).</summary>
    public byte[]? ExportModel(RunDetails run, ModelRole role, ExportFormat format) => artifacts.Export(run, role, format);
}
