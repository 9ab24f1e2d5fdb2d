using System.Collections.Concurrent;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Studies;

/// <summary>The live state of queued and running studies (in memory, changed by the training thread) in front of the
/// stored ones, as RunRegistry is for runs. Snapshots are immutable <see cref="StudyDetails"/>.</summary>
public sealed class StudyRegistry(StudyStore store)
{
    private readonly ConcurrentDictionary<string, LiveStudy> active = new();

    public StudyStore Store => store;

    public StudyDetails? Get(string id) => active.TryGetValue(id, out var live) ? live.Snapshot(QueuePosition(id)) : store.Load(id);

    /// <summary>Every study, newest first, without entries for the stored ones (live ones come whole).</summary>
    public IReadOnlyList<StudyDetails> List() =>
        store.List().Select(s => active.TryGetValue(s.Id, out var live) ? live.Snapshot(QueuePosition(s.Id)) : s).ToList();

    /// <summary>Studies accepted and not yet training, cancelled ones excluded.</summary>
    public int WaitingCount => active.Values.Count(s => s.IsWaiting);

    /// <summary>The study that trains now; null when none does.</summary>
    public StudyDetails? Running() => active.Values.FirstOrDefault(s => s.IsRunning)?.Snapshot(null);

    public int? QueuePosition(string id)
    {
        var queued = active.Values.Where(s => s.IsWaiting).OrderBy(s => s.CreatedAt).Select(s => s.Id).ToList();
        int at = queued.IndexOf(id);
        return at < 0 ? null : at + 1;
    }

    public bool IsActive(string id) => active.ContainsKey(id);

    /// <summary>Records a new study and holds it in memory; <paramref name="storeIt"/> false for one already stored (resumed).</summary>
    internal LiveStudy Add(StudyDetails study, bool storeIt = true)
    {
        if (storeIt) store.Insert(study);
        return active[study.Id] = new LiveStudy(study);
    }

    internal LiveStudy? Live(string id) => active.TryGetValue(id, out var live) ? live : null;

    /// <summary>Stores the study's end state and then lets it go from memory; while the database is busy it stays here.</summary>
    internal void Finish(LiveStudy live) =>
        store.Write(s => s.Update(live.Snapshot(null)), () => active.TryRemove(live.Id, out _), stopOnFailure: false);

    /// <summary>Writes for the training side, in order with the runs' writes (RunJournal).</summary>
    internal void Record(Action<StudyStore> write) => store.Write(write);
}
