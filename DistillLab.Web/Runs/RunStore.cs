using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Core.Inference;
using DistillLab.Core.Insight;
using DistillLab.Web.Settings;
using DistillLab.Web.Hosting;
using DistillLab.Web.Runs.RunHistory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using DistillLab.Core.Training;

namespace DistillLab.Web.Runs;

/// <summary>Run history through EF Core: runs, their epoch metrics, results and test predictions, in SQLite (data folder,
/// distilllab.db) or PostgreSQL as Jobs:Engine says (<see cref="HistoryDatabase"/>). The schema is RunHistoryDb's;
/// RunHistorySchema creates or upgrades it on start.</summary>
/// <remarks>A database error surfaces as the provider's own exception (SqliteException, NpgsqlException), never wrapped
/// in EF's DbUpdateException: RunJournal retries the transient ones (HistoryErrors).</remarks>
public sealed class RunStore
{
    private readonly HistoryDatabase database;

    /// <summary>The SQLite history in the data folder (Jobs:Engine embedded).</summary>
    public RunStore(IOptions<DataOptions> data) : this(new SqliteHistory(data.Value.FullDirectory)) { }

    public RunStore(HistoryDatabase database)
    {
        this.database = database;
        database.Prepare();
    }

    /// <summary>Where the history is: the SQLite file, or the PostgreSQL database as host:port/name.</summary>
    public string DatabasePath => database.Location;

    /// <summary>What a person can do when the database refuses writes for good.</summary>
    internal string WhatToDo => database.WhatToDo;

    /// <summary>True when a write could start right now; never waits for another connection's lock.</summary>
    public bool IsFreeToWrite() => database.IsFreeToWrite();

    /// <summary>One unit of work on a fresh context (the study store shares the database and its migrations).</summary>
    internal T Use<T>(Func<RunHistoryDb, T> work) => database.Execute(work);

    internal void Use(Action<RunHistoryDb> work) => database.Execute(work);

    /// <summary>Runs <paramref name="write"/> and saves what it added.</summary>
    private void Save(Action<RunHistoryDb> write) => Use(db =>
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false; // rows are only added, never edited after tracking
        write(db);
        db.SaveChanges();
    });

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonDefaults.Options);
    private static T? FromJson<T>(string? value) => value is null ? default : JsonSerializer.Deserialize<T>(value, JsonDefaults.Options);

    /// <param name="teacherKey">What shaped its teacher (RunRequests.TeacherKey): later runs with this key may reuse it.</param>
    /// <param name="scratchKey">The same for its scratch student (RunRequests.ScratchKey); null: never reused.</param>
    public void Insert(RunDetails run, string teacherKey, string? scratchKey = null) => Save(db => db.Runs.Add(new RunRow
    {
        Id = run.Id, Status = run.Status, Created = run.CreatedAt, Config = Json(run.Config), ReuseTeacher = run.ReuseTeacher,
        TeacherKey = teacherKey, ScratchKey = scratchKey, Name = run.Name, Notes = run.Notes,
    }));

    /// <summary>Replaces a run's name and notes (null clears); false for an unknown id.</summary>
    public bool SetLabel(string id, string? name, string? notes) => Use(db =>
        db.Runs.Where(r => r.Id == id).ExecuteUpdate(set => set.SetProperty(r => r.Name, name).SetProperty(r => r.Notes, notes)) > 0);

    /// <summary>Writes everything but the epochs (which are appended as they complete).</summary>
    public void Update(RunDetails run)
    {
        string results = Json(new StoredResults(Strip(run.Teacher), Strip(run.StudentScratch), Strip(run.StudentDistilled), run.Insight, run.Worker));
        string? data = run.Data is null ? null : Json(run.Data);
        Use(db => db.Runs.Where(r => r.Id == run.Id).ExecuteUpdate(set => set
            .SetProperty(r => r.Status, run.Status)
            .SetProperty(r => r.Started, run.StartedAt)
            .SetProperty(r => r.Finished, run.FinishedAt)
            .SetProperty(r => r.TeacherFrom, run.TeacherReusedFrom)
            .SetProperty(r => r.Error, run.Error)
            .SetProperty(r => r.ImageSize, run.ImageSize)
            .SetProperty(r => r.Device, run.Device)
            .SetProperty(r => r.Data, data)
            .SetProperty(r => r.Results, results)
            .SetProperty(r => r.TotalSeconds, run.TotalSeconds)));
    }

    private static ModelView Strip(ModelView view) => view with { History = [] };

    // The results column's JSON. Insight joined it later: no schema change, and a row written before reads as null.
    // Worker joined with the job engine (issue 11), the same way: who trained the run is part of what it produced.
    private sealed record StoredResults(ModelView Teacher, ModelView StudentScratch, ModelView StudentDistilled, RunInsight? Insight = null,
        string? Worker = null);

    /// <summary>Stores one epoch's metrics, replacing any stored for the same run, model and epoch.</summary>
    public void AddEpoch(string runId, ModelRole model, EpochMetrics metrics)
    {
        string json = Json(metrics);
        Use(db =>
        {
            using var transaction = db.Database.BeginTransaction();
            bool replaced = db.Epochs.Where(e => e.RunId == runId && e.Model == model && e.Epoch == metrics.Epoch)
                .ExecuteUpdate(set => set.SetProperty(e => e.Metrics, json)) > 0;
            if (!replaced)
            {
                db.Epochs.Add(new EpochRow { RunId = runId, Model = model, Epoch = metrics.Epoch, Metrics = json });
                db.SaveChanges();
            }
            transaction.Commit();
        });
    }

    /// <summary>A worker takes a queued run, or one whose worker died (still running here): status running, the epochs of
    /// an earlier attempt dropped; false when the run is gone or ended (cancelled while its job waited).</summary>
    public bool Claim(string id) => Use(db =>
    {
        using var transaction = db.Database.BeginTransaction();
        bool claimed = db.Runs.Where(r => r.Id == id && (r.Status == RunStatus.Queued || r.Status == RunStatus.Running))
            .ExecuteUpdate(set => set.SetProperty(r => r.Status, RunStatus.Running)) > 0;
        if (claimed) db.Epochs.Where(e => e.RunId == id).ExecuteDelete();
        transaction.Commit();
        return claimed;
    });

    /// <summary>Cancels a run that no worker has taken yet; false when it is not queued (any more).</summary>
    public bool CancelQueued(string id, string reason)
    {
        var now = DateTimeOffset.UtcNow;
        return Use(db => db.Runs.Where(r => r.Id == id && r.Status == RunStatus.Queued).ExecuteUpdate(set => set
            .SetProperty(r => r.Status, RunStatus.Cancelled).SetProperty(r => r.Finished, now).SetProperty(r => r.Error, reason)) > 0);
    }

    /// <summary>Runs left queued or running by a server that stopped: they can never finish now.</summary>
    public int MarkInterrupted()
    {
        var now = DateTimeOffset.UtcNow;
        return Use(db => db.Runs.Where(r => r.Status == RunStatus.Queued || r.Status == RunStatus.Running).ExecuteUpdate(set => set
            .SetProperty(r => r.Status, RunStatus.Interrupted)
            .SetProperty(r => r.Finished, now)
            .SetProperty(r => r.Error, "The server stopped while this run was queued or training.")));
    }

    public RunDetails? Load(string id) => Use(db =>
    {
        if (db.Runs.AsNoTracking().SingleOrDefault(r => r.Id == id) is not { } row) return null;
        var epochs = db.Epochs.AsNoTracking().Where(e => e.RunId == id).OrderBy(e => e.Epoch).ToList();
        return WithHistories(ToDetails(row), epochs);
    });

    /// <summary>Completed runs, newest finished first, with their epochs: two queries however many runs there are.</summary>
    public List<RunDetails> Completed() => Use(db =>
    {
        var rows = db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Completed).OrderByDescending(r => r.Finished).ToList();
        var epochs = (from e in db.Epochs.AsNoTracking()
                      join r in db.Runs on e.RunId equals r.Id
                      where r.Status == RunStatus.Completed
                      orderby e.Epoch
                      select e).AsEnumerable().ToLookup(e => e.RunId);
        return rows.Select(row => WithHistories(ToDetails(row), epochs[row.Id])).ToList();
    });

    private static RunDetails WithHistories(RunDetails run, IEnumerable<EpochRow> epochs)
    {
        var histories = epochs.GroupBy(e => e.Model).ToDictionary(g => g.Key, g => g.Select(e => FromJson<EpochMetrics>(e.Metrics)!).ToList());
        List<EpochMetrics> History(ModelRole role) => histories.TryGetValue(role, out var h) ? h : [];
        return run with
        {
            Teacher = run.Teacher with { History = History(ModelRole.Teacher) },
            StudentScratch = run.StudentScratch with { History = History(ModelRole.StudentScratch) },
            StudentDistilled = run.StudentDistilled with { History = History(ModelRole.StudentDistilled) },
        };
    }

    private static RunDetails ToDetails(RunRow row)
    {
        // The hand-written store wrote '' for some missing text; it still means none.
        static string? Text(string? s) => string.IsNullOrEmpty(s) ? null : s;
        var results = FromJson<StoredResults>(Text(row.Results));
        var empty = ModelView.Empty;
        // Runs stored before models carried ReusedFrom have it only in teacher_from.
        var teacher = results?.Teacher ?? empty;
        if (teacher.Reused && teacher.ReusedFrom is null) teacher = teacher with { ReusedFrom = Text(row.TeacherFrom) };
        return new RunDetails(
            Id: row.Id,
            Status: row.Status,
            Config: FromJson<LabConfig>(row.Config)!,
            ReuseTeacher: row.ReuseTeacher,
            CreatedAt: row.Created)
        {
            StartedAt = row.Started,
            FinishedAt = row.Finished,
            Error = Text(row.Error),
            TeacherReusedFrom = Text(row.TeacherFrom),
            ImageSize = row.ImageSize,
            Device = Text(row.Device),
            Data = FromJson<DataSummary>(Text(row.Data)),
            Teacher = teacher,
            StudentScratch = results?.StudentScratch ?? empty,
            StudentDistilled = results?.StudentDistilled ?? empty,
            TotalSeconds = row.TotalSeconds,
            Name = Text(row.Name),
            Notes = Text(row.Notes),
            Insight = results?.Insight,
            Worker = results?.Worker,
        };
    }

    /// <summary>Every run, newest first, without epoch histories.</summary>
    public List<RunDetails> List() =>
        Use(db => db.Runs.AsNoTracking().OrderByDescending(r => r.Created).AsEnumerable().Select(ToDetails).ToList());

    /// <summary>Completed runs, newest first, whose teacher or scratch student (<paramref name="role"/>) a run with this key can reuse.</summary>
    public List<string> FindSources(ModelRole role, string key) => Use(db =>
    {
        var completed = db.Runs.Where(r => r.Status == RunStatus.Completed);
        var matching = role switch
        {
            ModelRole.Teacher => completed.Where(r => r.TeacherKey == key),
            ModelRole.StudentScratch => completed.Where(r => r.ScratchKey == key),
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Only the teacher and the scratch student can be reused."),
        };
        return matching.OrderByDescending(r => r.Finished).Select(r => r.Id).ToList();
    });

    /// <summary>Stores a run's test predictions, replacing any it had.</summary>
    public void SavePredictions(string runId, IReadOnlyList<int> truth, Prediction[] teacher, Prediction[] scratch, Prediction[] distilled)
        => Use(db =>
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        using var transaction = db.Database.BeginTransaction();
        db.Predictions.Where(p => p.RunId == runId).ExecuteDelete();
        db.Predictions.AddRange(Enumerable.Range(0, truth.Count).Select(i => new PredictionRow
        {
            RunId = runId, Index = i, Truth = truth[i],
            Teacher = teacher[i].Label, TeacherConfidence = teacher[i].Confidence,
            Scratch = scratch[i].Label, ScratchConfidence = scratch[i].Confidence,
            Distilled = distilled[i].Label, DistilledConfidence = distilled[i].Confidence,
        }));
        db.SaveChanges();
        transaction.Commit();
    });

    public List<StoredPrediction> LoadPredictions(string runId) => Use(db =>
        db.Predictions.AsNoTracking().Where(p => p.RunId == runId).OrderBy(p => p.Index).AsEnumerable()
            .Select(p => new StoredPrediction(p.Index, p.Truth, new Prediction(p.Teacher, p.TeacherConfidence),
                new Prediction(p.Scratch, p.ScratchConfidence), new Prediction(p.Distilled, p.DistilledConfidence)))
            .ToList());

    /// <summary>True when files can be kept in this database too (PostgreSQL); SQLite's history leaves them in the data folder.</summary>
    public bool KeepsFiles => database is PostgresHistory;

    public bool Delete(string id) => Use(db =>
    {
        using var transaction = db.Database.BeginTransaction();
        db.Epochs.Where(e => e.RunId == id).ExecuteDelete();
        db.Predictions.Where(p => p.RunId == id).ExecuteDelete();
        bool deleted = db.Runs.Where(r => r.Id == id).ExecuteDelete() > 0;
        transaction.Commit();
        return deleted;
    });
}

/// <summary>One stored test image's truth and the three models' predictions.</summary>
public sealed record StoredPrediction(int Index, int Truth, Prediction Teacher, Prediction Scratch, Prediction Distilled);
