using System.Linq.Expressions;
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
public sealed partial class StudyStore(RunStore runs, RunJournal journal)
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
        db.StudyEntries.Where(EntryOf(studyId, kind, seed, setting)).ExecuteDelete();
        var row = NewEntry(db, studyId, kind, seed, setting, entry);
        row.ModelKey = modelKey;
        db.StudyEntries.Add(row);
        db.SaveChanges();
        transaction.Commit();
    });

    /// <summary>The entry of one part: a seed's teacher or baseline (empty setting), a trial, a rung value.</summary>
    private static Expression<Func<StudyEntryRow, bool>> EntryOf(string studyId, string kind, int seed, string setting) =>
        e => e.StudyId == studyId && e.Kind == kind && e.Seed == seed && e.Setting == setting;

    /// <summary>A new entry, finished now, numbered after the study's entries so far.</summary>
    private static StudyEntryRow NewEntry(RunHistoryDb db, string studyId, string kind, int seed, string setting, string entry) => new()
    {
        StudyId = studyId, Kind = kind, Seed = seed, Setting = setting, Ordinal = db.StudyEntries.Count(e => e.StudyId == studyId),
        Entry = entry, Finished = DateTimeOffset.UtcNow,
    };

    /// <summary>A trial's setting as the entries table keys it.</summary>
    internal static string SettingKey(StudySetting s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Alpha:R}|{s.Temperature:R}|{(s.ScaleByTemperatureSquared ? 1 : 0)}");

    public StudyDetails? Load(string id) => runs.Use(db => Read(db, id));

    private static StudyDetails? Read(RunHistoryDb db, string id)
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
    }

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
