using System.Globalization;
using DistillLab.Core.Studies;
using DistillLab.Web.Studies;
using DistillLab.Web.Runs.RunHistory;
using Microsoft.EntityFrameworkCore;

namespace DistillLab.Web.Runs;

// What the postgres job engine needs of the studies' tables besides what the embedded engine writes: conditional state
// changes, each part stored once, the confirm step decided once, and successive halving's rung values. Several workers
// write one study at once, so the deciding writes hold the study's transaction-level advisory lock.
public sealed partial class StudyStore
{
    /// <summary>True when the part (a seed's teacher or baseline with an empty setting, or a trial) is stored.</summary>
    public bool HasPart(string studyId, string kind, int seed, string setting = "") => runs.Use(db =>
        db.StudyEntries.Any(EntryOf(studyId, kind, seed, setting)));

    /// <summary>Stores a seed's baseline unless it is stored already (see <see cref="AddPartOnce"/>).</summary>
    public bool AddBaselineOnce(string studyId, BaselineResult baseline, int parts, Action? lastPart) =>
        AddPartOnce(studyId, BaselineKind, baseline.Seed, "", Json(baseline), [], parts, lastPart);

    /// <summary>Stores a trial, with its student's checkpoint where the database keeps files, unless it is stored
    /// already (see <see cref="AddPartOnce"/>).</summary>
    public bool AddTrialOnce(string studyId, TrialResult trial, IReadOnlyList<(string Name, byte[] Bytes)> files, int parts, Action? lastPart) =>
        AddPartOnce(studyId, TrialKind, trial.Seed, SettingKey(trial.Key.Setting), Json(trial), files, parts, lastPart);

    /// <summary>Stores a finished part of a study unless it is stored already (a job run again after its worker was
    /// killed, or twice at once): the first result stays, and is counted once. Under the study's lock (PostgreSQL: an
    /// advisory lock for the transaction; SQLite writes one at a time anyway), so exactly one writer sees the study's
    /// last part land.</summary>
    /// <param name="files">Files of the part (owner studies/&lt;id&gt;), stored in the same transaction.</param>
    /// <param name="parts">How many baselines and trials the study has in all.</param>
    /// <param name="lastPart">Called inside the transaction when this part was the last of <paramref name="parts"/>, once
    /// per study (a marker entry records it); a throw rolls the part back, so its job's next attempt decides again.</param>
    /// <returns>False when the part was there before: nothing written.</returns>
    private bool AddPartOnce(string studyId, string kind, int seed, string setting, string entry,
        IReadOnlyList<(string Name, byte[] Bytes)> files, int parts, Action? lastPart) => Locked(studyId, db =>
    {
        if (db.StudyEntries.Any(EntryOf(studyId, kind, seed, setting))) return false;
        db.StudyEntries.Add(NewEntry(db, studyId, kind, seed, setting, entry));
        if (db is PostgresRunHistoryDb postgres && files.Count > 0)
            StoredFiles.Replace(postgres.Blobs, StoredFiles.StudyOwner(studyId), files);
        db.SaveChanges();
        int done = db.StudyEntries.Count(e => e.StudyId == studyId && (e.Kind == BaselineKind || e.Kind == TrialKind));
        if (done >= parts && lastPart is not null && !db.StudyEntries.Any(e => e.StudyId == studyId && e.Kind == ConfirmKind))
        {
            db.StudyEntries.Add(new StudyEntryRow { StudyId = studyId, Kind = ConfirmKind, Seed = 0, Setting = "", Ordinal = -1, Entry = "{}", Finished = DateTimeOffset.UtcNow });
            db.SaveChanges();
            lastPart();
        }
        return true;
    });

    /// <summary>Records a trial's validation accuracy at a rung of successive halving (once: a trial run again after a
    /// kill keeps its first value) and returns every value its seed's trials recorded at that rung, its own included, in
    /// the order they came. Under the study's lock, so that each decision sees the values recorded before it.</summary>
    public IReadOnlyList<double> RecordRung(string studyId, TrialKey trial, int epoch, double valAccuracy) => Locked(studyId, db =>
    {
        string suffix = string.Create(CultureInfo.InvariantCulture, $"@{epoch}"), setting = SettingKey(trial.Setting) + suffix;
        if (!db.StudyEntries.Any(EntryOf(studyId, RungKind, trial.Seed, setting)))
        {
            db.StudyEntries.Add(NewEntry(db, studyId, RungKind, trial.Seed, setting, Json(valAccuracy)));
            db.SaveChanges();
        }
        return (IReadOnlyList<double>)db.StudyEntries
            .Where(e => e.StudyId == studyId && e.Kind == RungKind && e.Seed == trial.Seed && e.Setting.EndsWith(suffix))
            .OrderBy(e => e.Ordinal).Select(e => e.Entry).ToList().Select(v => FromJson<double>(v)).ToList();
    });

    /// <summary>A study's advisory lock key: the first 8 bytes of its id's SHA-256, so every process derives the same.</summary>
    internal static long LockKey(string name) =>
        BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)), 0);

    /// <summary>The study as <see cref="Load"/> reads it, under the study's lock: a part whose transaction queued the
    /// confirm step (<see cref="AddPartOnce"/>) has committed, or rolled back, before this reads.</summary>
    public StudyDetails? LoadLocked(string id) => Locked(id, db => Read(db, id));

    /// <summary>Runs <paramref name="work"/> in a transaction that holds the study's advisory lock (PostgreSQL; SQLite
    /// writes one at a time anyway) and commits it.</summary>
    private T Locked<T>(string studyId, Func<RunHistoryDb, T> work) => runs.Use(db =>
    {
        using var transaction = db.Database.BeginTransaction();
        if (db is PostgresRunHistoryDb)
            db.Database.ExecuteSql($"SELECT pg_advisory_xact_lock({LockKey(studyId)})");
        var result = work(db);
        transaction.Commit();
        return result;
    });

    /// <summary>Marks a queued study running (its first job started); false when it was not queued.</summary>
    public bool MarkRunning(string id)
    {
        var now = DateTimeOffset.UtcNow;
        return runs.Use(db => db.Studies.Where(s => s.Id == id && s.Status == StudyStatus.Queued)
            .ExecuteUpdate(set => set.SetProperty(s => s.Status, StudyStatus.Running).SetProperty(s => s.Started, now)) > 0);
    }

    /// <summary>Ends a queued or running study; false when it had ended already (nothing written).</summary>
    public bool End(string id, StudyStatus status, string? error, BestSetting? best = null, double? totalSeconds = null)
    {
        var now = DateTimeOffset.UtcNow;
        string? bestJson = best is null ? null : Json(best);
        return runs.Use(db => db.Studies.Where(s => s.Id == id && (s.Status == StudyStatus.Queued || s.Status == StudyStatus.Running))
            .ExecuteUpdate(set => set.SetProperty(s => s.Status, status).SetProperty(s => s.Finished, now).SetProperty(s => s.Error, error)
                .SetProperty(s => s.Best, bestJson).SetProperty(s => s.TotalSeconds, totalSeconds)) > 0);
    }

    /// <summary>The study without its entries; null for an unknown id.</summary>
    public StudyDetails? Head(string id) => runs.Use(db =>
        db.Studies.AsNoTracking().SingleOrDefault(s => s.Id == id) is { } row ? ToDetails(row) : null);
}
