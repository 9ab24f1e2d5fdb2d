using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Core.Inference;
using DistillLab.Web.Hosting;
using DistillLab.Web.Runs;
using Microsoft.Data.Sqlite;
using DistillLab.Core.Training;

namespace DistillLab.Tests.Support;

/// <summary>Writes distilllab.db as the versions before EF Core did: their hand-written SQL, copied verbatim from
/// RunStore as it was (the first release's runs table had no scratch_key, name or notes).</summary>
public sealed class PreviousVersionDatabase : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly bool firstRelease;

    public PreviousVersionDatabase(string path, bool firstRelease)
    {
        this.firstRelease = firstRelease;
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS runs (
                id TEXT PRIMARY KEY, status TEXT NOT NULL, created TEXT NOT NULL, started TEXT, finished TEXT,
                config TEXT NOT NULL, reuse_teacher INTEGER NOT NULL, teacher_key TEXT NOT NULL, teacher_from TEXT,
                error TEXT, image_size INTEGER, device TEXT, data TEXT, results TEXT, total_seconds REAL);
            CREATE TABLE IF NOT EXISTS epochs (
                run_id TEXT NOT NULL, model TEXT NOT NULL, epoch INTEGER NOT NULL, metrics TEXT NOT NULL,
                PRIMARY KEY (run_id, model, epoch));
            CREATE TABLE IF NOT EXISTS predictions (
                run_id TEXT NOT NULL, idx INTEGER NOT NULL, truth INTEGER NOT NULL,
                teacher INTEGER NOT NULL, teacher_conf REAL NOT NULL, scratch INTEGER NOT NULL, scratch_conf REAL NOT NULL,
                distilled INTEGER NOT NULL, distilled_conf REAL NOT NULL, PRIMARY KEY (run_id, idx));
            """);
        if (firstRelease) return;
        foreach (var column in new[] { "scratch_key", "name", "notes" })
            Execute($"ALTER TABLE runs ADD COLUMN {column} TEXT");
    }

    /// <summary>A run as the service stored it: the row, every epoch as it completed, then the final state.</summary>
    public void Save(RunDetails run, string teacherKey, string? scratchKey = null)
    {
        Insert(run, teacherKey, scratchKey);
        foreach (var role in ModelRoles.All)
            foreach (var epoch in run.Model(role).History) AddEpoch(run.Id, role, epoch);
        Update(run);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonDefaults.Options);
    private static string Time(DateTimeOffset? t) => t?.ToString("O") ?? "";

    /// <summary>The row alone, as for a run still queued.</summary>
    public void Insert(RunDetails run, string teacherKey, string? scratchKey = null)
    {
        if (firstRelease)
            Execute("""
                INSERT INTO runs (id, status, created, config, reuse_teacher, teacher_key)
                VALUES ($id, $status, $created, $config, $reuse, $key)
                """, ("$id", run.Id), ("$status", run.Status.ToString()), ("$created", Time(run.CreatedAt)),
                ("$config", Json(run.Config)), ("$reuse", run.ReuseTeacher ? 1 : 0), ("$key", teacherKey));
        else
            Execute("""
                INSERT INTO runs (id, status, created, config, reuse_teacher, teacher_key, scratch_key, name, notes)
                VALUES ($id, $status, $created, $config, $reuse, $key, $scratchKey, $name, $notes)
                """, ("$id", run.Id), ("$status", run.Status.ToString()), ("$created", Time(run.CreatedAt)),
                ("$config", Json(run.Config)), ("$reuse", run.ReuseTeacher ? 1 : 0), ("$key", teacherKey), ("$scratchKey", scratchKey),
                ("$name", run.Name), ("$notes", run.Notes));
    }

    private void Update(RunDetails run)
    {
        var results = new StoredResults(Strip(run.Teacher), Strip(run.StudentScratch), Strip(run.StudentDistilled));
        Execute("""
            UPDATE runs SET status = $status, started = $started, finished = $finished, teacher_from = $from,
                error = $error, image_size = $size, device = $device, data = $data, results = $results, total_seconds = $total
            WHERE id = $id
            """, ("$id", run.Id), ("$status", run.Status.ToString()), ("$started", run.StartedAt is null ? null : Time(run.StartedAt)),
            ("$finished", run.FinishedAt is null ? null : Time(run.FinishedAt)), ("$from", run.TeacherReusedFrom), ("$error", run.Error),
            ("$size", run.ImageSize), ("$device", run.Device), ("$data", run.Data is null ? null : Json(run.Data)),
            ("$results", Json(results)), ("$total", run.TotalSeconds));
    }

    private static ModelView Strip(ModelView view) => view with { History = [] };

    private sealed record StoredResults(ModelView Teacher, ModelView StudentScratch, ModelView StudentDistilled);

    private void AddEpoch(string runId, ModelRole model, EpochMetrics metrics) => Execute(
        "INSERT OR REPLACE INTO epochs (run_id, model, epoch, metrics) VALUES ($id, $model, $epoch, $metrics)",
        ("$id", runId), ("$model", model.ToString()), ("$epoch", metrics.Epoch), ("$metrics", Json(metrics)));

    public void SavePredictions(string runId, IReadOnlyList<int> truth, Prediction[] teacher, Prediction[] scratch, Prediction[] distilled)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO predictions VALUES ($id, $i, $t, $tl, $tc, $sl, $sc, $dl, $dc)";
        var p = new[] { "$id", "$i", "$t", "$tl", "$tc", "$sl", "$sc", "$dl", "$dc" }.Select(n => command.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        for (int i = 0; i < truth.Count; i++)
        {
            object[] values = [runId, i, truth[i], teacher[i].Label, teacher[i].Confidence, scratch[i].Label, scratch[i].Confidence, distilled[i].Label, distilled[i].Confidence];
            for (int k = 0; k < p.Length; k++) p[k].Value = values[k];
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private void Execute(string sql, params (string, object?)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    public void Dispose() => connection.Dispose();
}
