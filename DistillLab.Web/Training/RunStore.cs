using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Core.Inference;
using DistillLab.Web.Settings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DistillLab.Web.Training;

/// <summary>Run history in SQLite (data folder, distilllab.db): runs, their epoch metrics, results and test predictions.</summary>
public sealed class RunStore
{
    private readonly string connectionString;

    public RunStore(IOptions<DataOptions> data)
    {
        DatabasePath = Path.Combine(data.Value.FullDirectory, "distilllab.db");
        // A locked database answers within 5 s (the default 30 s held the training thread); RunJournal retries writes.
        connectionString = new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = true, DefaultTimeout = 5 }.ToString();
        try
        {
            Directory.CreateDirectory(data.Value.FullDirectory);
            CreateOrUpgrade();
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new DataFolderException(data.Value.FullDirectory, e);
        }
    }

    private void CreateOrUpgrade()
    {
        using var connection = Open();
        Execute(connection, """
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
        // Columns added after the first release: databases written by it gain them on first start, nothing lost.
        AddColumnIfMissing(connection, "runs", "scratch_key", "TEXT");
        AddColumnIfMissing(connection, "runs", "name", "TEXT");
        AddColumnIfMissing(connection, "runs", "notes", "TEXT");
    }

    private static void AddColumnIfMissing(SqliteConnection connection, string table, string column, string type)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = $column";
        command.Parameters.AddWithValue("$column", column);
        if (Convert.ToInt64(command.ExecuteScalar()) == 0) Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {type}");
    }

    public string DatabasePath { get; }

    /// <summary>True when a write could start right now; never waits for another connection's lock.</summary>
    public bool IsFreeToWrite()
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 0, Pooling = false };
        try
        {
            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            Execute(connection, "BEGIN IMMEDIATE; ROLLBACK;");
            return true;
        }
        catch (SqliteException) { return false; }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql, params (string, object?)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    private void Execute(string sql, params (string, object?)[] parameters)
    {
        using var connection = Open();
        Execute(connection, sql, parameters);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonDefaults.Options);
    private static T? FromJson<T>(object value) => value is string s ? JsonSerializer.Deserialize<T>(s, JsonDefaults.Options) : default;
    private static string Time(DateTimeOffset? t) => t?.ToString("O") ?? "";

    /// <param name="teacherKey">What shaped its teacher (RunRequests.TeacherKey): later runs with this key may reuse it.</param>
    /// <param name="scratchKey">The same for its scratch student (RunRequests.ScratchKey); null: never reused.</param>
    public void Insert(RunDetails run, string teacherKey, string? scratchKey = null) => Execute("""
        INSERT INTO runs (id, status, created, config, reuse_teacher, teacher_key, scratch_key, name, notes)
        VALUES ($id, $status, $created, $config, $reuse, $key, $scratchKey, $name, $notes)
        """, ("$id", run.Id), ("$status", run.Status.ToString()), ("$created", Time(run.CreatedAt)),
        ("$config", Json(run.Config)), ("$reuse", run.ReuseTeacher ? 1 : 0), ("$key", teacherKey), ("$scratchKey", scratchKey),
        ("$name", run.Name), ("$notes", run.Notes));
    /// <summary>Replaces a run's name and notes (null clears); false for an unknown id.</summary>
    public bool SetLabel(string id, string? name, string? notes)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE runs SET name = $name, notes = $notes WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$name", (object?)name ?? DBNull.Value);
        command.Parameters.AddWithValue("$notes", (object?)notes ?? DBNull.Value);
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>Writes everything but the epochs (which are appended as they complete).</summary>
    public void Update(RunDetails run)
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

    public void AddEpoch(string runId, ModelRole model, EpochMetrics metrics) => Execute(
        "INSERT OR REPLACE INTO epochs (run_id, model, epoch, metrics) VALUES ($id, $model, $epoch, $metrics)",
        ("$id", runId), ("$model", model.ToString()), ("$epoch", metrics.Epoch), ("$metrics", Json(metrics)));

    /// <summary>Runs left queued or running by a server that stopped: they can never finish now.</summary>
    public int MarkInterrupted() => MarkInterruptedCount();

    private int MarkInterruptedCount()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE runs SET status = 'Interrupted', finished = $now, error = 'The server stopped while this run was queued or training.' WHERE status IN ('Queued', 'Running')";
        command.Parameters.AddWithValue("$now", Time(DateTimeOffset.UtcNow));
        return command.ExecuteNonQuery();
    }

    public RunDetails? Load(string id)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM runs WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        var run = ReadRun(reader);
        var histories = LoadEpochs(connection, id);
        List<EpochMetrics> History(ModelRole role) => histories.TryGetValue(role, out var h) ? h : [];
        return run with
        {
            Teacher = run.Teacher with { History = History(ModelRole.Teacher) },
            StudentScratch = run.StudentScratch with { History = History(ModelRole.StudentScratch) },
            StudentDistilled = run.StudentDistilled with { History = History(ModelRole.StudentDistilled) },
        };
    }

    private static Dictionary<ModelRole, List<EpochMetrics>> LoadEpochs(SqliteConnection connection, string id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT model, metrics FROM epochs WHERE run_id = $id ORDER BY epoch";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        var histories = new Dictionary<ModelRole, List<EpochMetrics>>();
        while (reader.Read())
        {
            var role = Enum.Parse<ModelRole>(reader.GetString(0));
            if (!histories.TryGetValue(role, out var list)) histories[role] = list = [];
            list.Add(FromJson<EpochMetrics>(reader.GetString(1))!);
        }
        return histories;
    }

    private static RunDetails ReadRun(SqliteDataReader r)
    {
        object Col(string name) => r[name];
        string? Text(string name) => Col(name) is string s && s.Length > 0 ? s : null;
        DateTimeOffset? When(string name) => Text(name) is { } s ? DateTimeOffset.Parse(s) : null;
        var results = FromJson<StoredResults>(Col("results"));
        var empty = ModelView.Empty;
        // Runs stored before models carried ReusedFrom have it only in teacher_from.
        var teacher = results?.Teacher ?? empty;
        if (teacher.Reused && teacher.ReusedFrom is null) teacher = teacher with { ReusedFrom = Text("teacher_from") };
        return new RunDetails(
            Id: r.GetString(r.GetOrdinal("id")),
            Status: Enum.Parse<RunStatus>(r.GetString(r.GetOrdinal("status"))),
            Config: FromJson<LabConfig>(Col("config"))!,
            ReuseTeacher: Convert.ToInt64(Col("reuse_teacher")) != 0,
            CreatedAt: When("created")!.Value)
        {
            StartedAt = When("started"),
            FinishedAt = When("finished"),
            Error = Text("error"),
            TeacherReusedFrom = Text("teacher_from"),
            ImageSize = Col("image_size") is long size ? (int)size : null,
            Device = Text("device"),
            Data = FromJson<DataSummary>(Col("data")),
            Teacher = teacher,
            StudentScratch = results?.StudentScratch ?? empty,
            StudentDistilled = results?.StudentDistilled ?? empty,
            TotalSeconds = Col("total_seconds") is double total ? total : null,
            Name = Text("name"),
            Notes = Text("notes"),
        };
    }

    /// <summary>Every run, newest first, without epoch histories.</summary>
    public List<RunDetails> List()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM runs ORDER BY created DESC";
        using var reader = command.ExecuteReader();
        var runs = new List<RunDetails>();
        while (reader.Read()) runs.Add(ReadRun(reader));
        return runs;
    }

    /// <summary>Completed runs, newest first, whose teacher or scratch student (<paramref name="role"/>) a run with this key can reuse.</summary>
    public List<string> FindSources(ModelRole role, string key)
    {
        string column = role switch
        {
            ModelRole.Teacher => "teacher_key",
            ModelRole.StudentScratch => "scratch_key",
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Only the teacher and the scratch student can be reused."),
        };
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id FROM runs WHERE {column} = $key AND status = 'Completed' ORDER BY finished DESC";
        command.Parameters.AddWithValue("$key", key);
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }

    public void SavePredictions(string runId, IReadOnlyList<int> truth, Prediction[] teacher, Prediction[] scratch, Prediction[] distilled)
    {
        using var connection = Open();
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

    public List<StoredPrediction> LoadPredictions(string runId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT idx, truth, teacher, teacher_conf, scratch, scratch_conf, distilled, distilled_conf FROM predictions WHERE run_id = $id ORDER BY idx";
        command.Parameters.AddWithValue("$id", runId);
        using var r = command.ExecuteReader();
        var list = new List<StoredPrediction>();
        while (r.Read())
            list.Add(new StoredPrediction(r.GetInt32(0), r.GetInt32(1),
                new Prediction(r.GetInt32(2), r.GetDouble(3)), new Prediction(r.GetInt32(4), r.GetDouble(5)), new Prediction(r.GetInt32(6), r.GetDouble(7))));
        return list;
    }

    public bool Delete(string id)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        foreach (var table in new[] { "epochs", "predictions" })
            Execute(connection, $"DELETE FROM {table} WHERE run_id = $id", ("$id", id));
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM runs WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        bool deleted = command.ExecuteNonQuery() > 0;
        transaction.Commit();
        return deleted;
    }
}

/// <summary>One stored test image's truth and the three models' predictions.</summary>
public sealed record StoredPrediction(int Index, int Truth, Prediction Teacher, Prediction Scratch, Prediction Distilled);
