using System.Globalization;
using System.Text.Json;
using DistillLab.Core.Studies;
using DistillLab.Web.Hosting;
using DistillLab.Web.Studies;
using DistillLab.Web.Runs.RunHistory;
using Microsoft.EntityFrameworkCore;

namespace DistillLab.Web.Runs;

/// <summary>Studies in the run history database: the study (config, state, best) and each finished teacher, baseline
/// and trial, stored as it finishes, so a restarted server goes on with the trials left.</summary>
/// <remarks>Part of the run service's history (Web/Runs owns the database: RunServiceBoundaryTests). Errors surface as
/// the provider's own, as RunStore's do: the training side writes through <see cref="Write"/>, in order with the runs'
/// writes (RunJournal), which retries the transient ones.</remarks>
public sealed class StudyStore(RunStore runs, RunJournal journal)
{
    /// <summary>Writes now, or after the writes already waiting for a busy database (RunJournal.Write).</summary>
    public void Write(Action<StudyStore> write, Action? written = null, bool stopOnFailure = true) =>
        journal.Write(_ => write(this), written, stopOnFailure);

    internal const string TeacherKind = "teacher", BaselineKind = "baseline", TrialKind = "trial";
    /// <summary>Marks a study whose confirm step was queued (the job engine): never shown, only looked for.</summary>
    internal const string ConfirmKind = "confirm";
    /// <summary>A trial's validation accuracy at a rung of successive halving (the job engine), setting "α|T|T²@epoch".</summary>
    internal const string RungKind = "rung";

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonDefaults.Options);
    private static T? FromJson<T>(string? value) => value is null ? default : JsonSerializer.Deserialize<T>(value, JsonDefaults.Options);

    public void Insert(StudyDetails study) => runs.Use(db =>
    {
        db.Studies.Add(new StudyRow { Id = study.Id, Status = study.Status, Created = study.CreatedAt, Config = Json(study.Config) });
        db.SaveChanges();
    });

    /// <summary>Writes the study's state (not its entries, which are added as they finish).</summary>
    public void Update(StudyDetails study)
    {
        string? best = study.Best is null ? null : Json(study.Best);
        runs.Use(db => db.Studies.Where(s => s.Id == study.Id).ExecuteUpdate(set => set
            .SetProperty(s => s.Status, study.Status)
            .SetProperty(s => s.Started, study.StartedAt)
            .SetProperty(s => s.Finished, study.FinishedAt)
            .SetProperty(s => s.Error, study.Error)
            .SetProperty(s => s.Best, best)
            .SetProperty(s => s.TotalSeconds, study.TotalSeconds)));
    }

    public void AddTeacher(string studyId, StudyTeacher teacher, string? modelKey) =>
        Add(studyId, TeacherKind, teacher.Seed, "", Json(teacher), modelKey);

    public void AddBaseline(string studyId, BaselineResult baseline) => Add(studyId, BaselineKind, baseline.Seed, "", Json(baseline), null);

    public void AddTrial(string studyId, TrialResult trial) => Add(studyId, TrialKind, trial.Seed, SettingKey(trial.Key.Setting), Json(trial), null);

    private void Add(string studyId, string kind, int seed, string setting, string entry, string? modelKey) => runs.Use(db =>
    {
        using var transaction = db.Database.BeginTransaction();
        // Replaces an entry stored before (a write retried after its first attempt landed stays one entry).
        db.StudyEntries.Where(e => e.StudyId == studyId && e.Kind == kind && e.Seed == seed && e.Setting == setting).ExecuteDelete();
        int ordinal = db.StudyEntries.Count(e => e.StudyId == studyId);
        db.StudyEntries.Add(new StudyEntryRow
        {
            StudyId = studyId, Kind = kind, Seed = seed, Setting = setting, Ordinal = ordinal, Entry = entry, ModelKey = modelKey,
            Finished = DateTimeOffset.UtcNow,
        });
        db.SaveChanges();
        transaction.Commit();
    });

    /// <summary>True when the part (a seed's teacher or baseline with an empty setting, or a trial) is stored.</summary>
    public bool HasPart(string studyId, string kind, int seed, string setting = "") => runs.Use(db =>
        db.StudyEntries.Any(e => e.StudyId == studyId && e.Kind == kind && e.Seed == seed && e.Setting == setting));

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
        IReadOnlyList<(string Name, byte[] Bytes)> files, int parts, Action? lastPart) => runs.Use(db =>
    {
        using var transaction = db.Database.BeginTransaction();
        if (db is PostgresRunHistoryDb)
            db.Database.ExecuteSql($"SELECT pg_advisory_xact_lock({LockKey(studyId)})");
        if (db.StudyEntries.Any(e => e.StudyId == studyId && e.Kind == kind && e.Seed == seed && e.Setting == setting)) return false;
        var now = DateTimeOffset.UtcNow;
        db.StudyEntries.Add(new StudyEntryRow
        {
            StudyId = studyId, Kind = kind, Seed = seed, Setting = setting, Ordinal = db.StudyEntries.Count(e => e.StudyId == studyId),
            Entry = entry, Finished = now,
        });
        if (db is PostgresRunHistoryDb postgres && files.Count > 0)
        {
            var names = files.Select(f => f.Name).ToList();
            string owner = StoredFiles.StudyOwner(studyId);
            postgres.Blobs.Where(b => b.Owner == owner && names.Contains(b.Name)).ExecuteDelete();
            postgres.Blobs.AddRange(files.Select(f => new BlobRow { Owner = owner, Name = f.Name, Bytes = f.Bytes, Created = now }));
        }
        db.SaveChanges();
        int done = db.StudyEntries.Count(e => e.StudyId == studyId && (e.Kind == BaselineKind || e.Kind == TrialKind));
        if (done >= parts && lastPart is not null && !db.StudyEntries.Any(e => e.StudyId == studyId && e.Kind == ConfirmKind))
        {
            db.StudyEntries.Add(new StudyEntryRow { StudyId = studyId, Kind = ConfirmKind, Seed = 0, Setting = "", Ordinal = -1, Entry = "{}", Finished = now });
            db.SaveChanges();
            lastPart();
        }
        transaction.Commit();
        return true;
    });

    /// <summary>Records a trial's validation accuracy at a rung of successive halving (once: a trial run again after a
    /// kill keeps its first value) and returns every value its seed's trials recorded at that rung, its own included, in
    /// the order they came. Under the study's lock, so that each decision sees the values recorded before it.</summary>
    public IReadOnlyList<double> RecordRung(string studyId, TrialKey trial, int epoch, double valAccuracy) => runs.Use(db =>
    {
        using var transaction = db.Database.BeginTransaction();
        if (db is PostgresRunHistoryDb)
            db.Database.ExecuteSql($"SELECT pg_advisory_xact_lock({LockKey(studyId)})");
        string suffix = string.Create(CultureInfo.InvariantCulture, $"@{epoch}"), setting = SettingKey(trial.Setting) + suffix;
        if (!db.StudyEntries.Any(e => e.StudyId == studyId && e.Kind == RungKind && e.Seed == trial.Seed && e.Setting == setting))
        {
            db.StudyEntries.Add(new StudyEntryRow
            {
                StudyId = studyId, Kind = RungKind, Seed = trial.Seed, Setting = setting, Ordinal = db.StudyEntries.Count(e => e.StudyId == studyId),
                Entry = Json(valAccuracy), Finished = DateTimeOffset.UtcNow,
            });
            db.SaveChanges();
        }
        var values = db.StudyEntries.Where(e => e.StudyId == studyId && e.Kind == RungKind && e.Seed == trial.Seed && e.Setting.EndsWith(suffix))
            .OrderBy(e => e.Ordinal).Select(e => e.Entry).ToList().Select(v => FromJson<double>(v)).ToList();
        transaction.Commit();
        return values;
    });

    /// <summary>A study's advisory lock key: the first 8 bytes of its id's SHA-256, so every process derives the same.</summary>
    internal static long LockKey(string name) =>
        BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)), 0);

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

    /// <summary>A trial's setting as the entries table keys it.</summary>
    internal static string SettingKey(StudySetting s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Alpha:R}|{s.Temperature:R}|{(s.ScaleByTemperatureSquared ? 1 : 0)}");

    public StudyDetails? Load(string id) => runs.Use(db =>
    {
        if (db.Studies.AsNoTracking().SingleOrDefault(s => s.Id == id) is not { } row) return null;
        var entries = db.StudyEntries.AsNoTracking().Where(e => e.StudyId == id).OrderBy(e => e.Ordinal).ToList();
        List<T> Of<T>(string kind) => entries.Where(e => e.Kind == kind).Select(e => FromJson<T>(e.Entry)!).ToList();
        return ToDetails(row) with
        {
            Teachers = Of<StudyTeacher>(TeacherKind).OrderBy(t => t.Seed).ToList(),
            Baseline = Of<BaselineResult>(BaselineKind).OrderBy(b => b.Seed).ToList(),
            Trials = Of<TrialResult>(TrialKind),
        };
    });

    /// <summary>Every study, newest first, without their entries.</summary>
    public List<StudyDetails> List() =>
        runs.Use(db => db.Studies.AsNoTracking().OrderByDescending(s => s.Created).AsEnumerable().Select(ToDetails).ToList());

    /// <summary>Studies a stopped server left queued or running, oldest first: they go on where they were.</summary>
    public List<string> Unfinished() => runs.Use(db => db.Studies.Where(s => s.Status == StudyStatus.Queued || s.Status == StudyStatus.Running)
        .OrderBy(s => s.Created).Select(s => s.Id).ToList());

    /// <summary>Teachers studies trained whose files later runs and studies can reuse, newest first: (study id, seed).</summary>
    public List<(string StudyId, int Seed)> FindTeachers(string modelKey) => runs.Use(db =>
        db.StudyEntries.Where(e => e.Kind == TeacherKind && e.ModelKey == modelKey).OrderByDescending(e => e.Finished)
            .Select(e => new { e.StudyId, e.Seed }).AsEnumerable().Select(e => (e.StudyId, e.Seed)).ToList());

    /// <summary>The teacher entry of a study's seed (its test accuracy, where it came from); null when none.</summary>
    public StudyTeacher? Teacher(string studyId, int seed) => runs.Use(db =>
    {
        var row = db.StudyEntries.AsNoTracking().SingleOrDefault(e => e.StudyId == studyId && e.Kind == TeacherKind && e.Seed == seed && e.Setting == "");
        return row is null ? null : FromJson<StudyTeacher>(row.Entry);
    });

    private static StudyDetails ToDetails(StudyRow row) => new(row.Id, row.Status, FromJson<StudyConfig>(row.Config)!, row.Created)
    {
        StartedAt = row.Started, FinishedAt = row.Finished, Error = row.Error, Best = FromJson<BestSetting>(row.Best), TotalSeconds = row.TotalSeconds,
    };
}
