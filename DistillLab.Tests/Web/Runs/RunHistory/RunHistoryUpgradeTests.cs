using System.Net.Http.Json;
using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Core.Inference;
using DistillLab.Web.Settings;
using DistillLab.Web.Hosting;
using DistillLab.Web.Runs;
using DistillLab.Web.Runs.RunHistory;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Runs.RunHistory;

/// <summary>The run store on EF Core opens a distilllab.db written by the hand-written SQL before it, nothing lost,
/// and a new database gets the same schema through the migrations.</summary>
[Collection(DashboardCollection.Name)]
public sealed class RunHistoryUpgradeTests : IDisposable
{
    /// <summary>Every migration of the run history, oldest first; the initial one is the adopted schema.</summary>
    private static List<string> AllMigrations()
    {
        // SQLite's set only: PostgreSQL's (PostgresMigrations/) belong to PostgresRunHistoryDb.
        var ids = typeof(RunHistoryDb).Assembly.GetTypes()
            .Where(t => System.Reflection.CustomAttributeExtensions.GetCustomAttribute<Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute>(t)?.ContextType == typeof(RunHistoryDb))
            .Select(t => System.Reflection.CustomAttributeExtensions.GetCustomAttribute<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>(t)?.Id)
            .OfType<string>().Order().ToList();
        Assert.Equal(RunHistorySchema.InitialMigrationId, ids[0]);
        return ids;
    }

    private readonly string folder = Path.Combine(Path.GetTempPath(), "distilllab-upgrade-" + Guid.NewGuid().ToString("N")[..8]);
    private string DatabasePath => Path.Combine(folder, "distilllab.db");
    private IOptions<DataOptions> Options => Microsoft.Extensions.Options.Options.Create(new DataOptions { Directory = folder, Roots = [folder] });

    public RunHistoryUpgradeTests() => Directory.CreateDirectory(folder);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ADatabaseWrittenByThePreviousVersionOpensWithEveryRunEpochAndPrediction(bool firstRelease)
    {
        var runs = WritePreviousVersion(firstRelease);

        var store = new RunStore(Options);

        var expected = runs.Select(r => firstRelease ? r with { Name = null, Notes = null } : r).ToList();
        Assert.Equal(["queued", "failed", "reused", "first"], store.List().Select(r => r.Id));
        foreach (var run in expected)
        {
            Assert.Equal(Json(Loaded(run)), Json(store.Load(run.Id)));
            Assert.Equal(Json(Loaded(run) with { Teacher = NoHistory(Loaded(run).Teacher), StudentScratch = NoHistory(run.StudentScratch),
                StudentDistilled = NoHistory(run.StudentDistilled) }), Json(store.List().Single(r => r.Id == run.Id)));
        }
        Assert.Equal(Predictions("first"), store.LoadPredictions("first"));
        Assert.Empty(store.LoadPredictions("failed"));
        Assert.Equal(["reused", "first"], store.FindSources(ModelRole.Teacher, "teacher-a"));
        Assert.Equal(firstRelease ? [] : ["first"], store.FindSources(ModelRole.StudentScratch, "scratch-a"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnUpgradedDatabaseHasTheSchemaANewOneGetsAndTheInitialMigrationRecorded(bool firstRelease)
    {
        WritePreviousVersion(firstRelease);
        new RunStore(Options);
        string fresh = Path.Combine(folder, "fresh");
        new RunStore(Microsoft.Extensions.Options.Options.Create(new DataOptions { Directory = fresh, Roots = [fresh] }));

        foreach (var table in new[] { "runs", "epochs", "predictions" })
            Assert.Equal(Columns(Path.Combine(fresh, "distilllab.db"), table), Columns(DatabasePath, table));
        // The initial migration is recorded as adopted, and every later one (e.g. Studies) applied on top.
        Assert.Equal(AllMigrations(), Query(DatabasePath, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId"));
        Assert.Equal("wal", Query(DatabasePath, "PRAGMA journal_mode").Single());
    }

    [Fact]
    public void AnUpgradedDatabaseTakesNewWritesAndOpeningItAgainChangesNothing()
    {
        WritePreviousVersion(firstRelease: true);
        var store = new RunStore(Options);
        var added = CompareRuns.Run("added", new LabConfig { Alpha = 0.3 }, (0.9, 0.7, 0.75), name: "after the upgrade")
            with { CreatedAt = new DateTimeOffset(2025, 3, 4, 9, 30, 0, TimeSpan.Zero) };
        CompareRuns.Save(store, added);
        store.SavePredictions("added", [1, 0], [new(1, 0.9), new(0, 0.8)], [new(1, 0.6), new(1, 0.55)], [new(1, 0.7), new(0, 0.65)]);
        Assert.True(store.SetLabel("first", "named later", "on an old run"));
        Assert.Equal(1, store.MarkInterrupted());
        Assert.True(store.Delete("failed"));
        Assert.Empty(store.LoadPredictions("failed"));

        long schemaVersion = long.Parse(Query(DatabasePath, "PRAGMA schema_version").Single());
        SqliteConnection.ClearAllPools();
        var reopened = new RunStore(Options);

        Assert.Equal(schemaVersion, long.Parse(Query(DatabasePath, "PRAGMA schema_version").Single()));
        Assert.Equal(AllMigrations(), Query(DatabasePath, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId"));
        Assert.Equal(["added", "queued", "reused", "first"], reopened.List().Select(r => r.Id));
        Assert.Equal(Json(added), Json(reopened.Load("added")));
        Assert.Equal(new Prediction(0, 0.65), reopened.LoadPredictions("added")[1].Distilled);
        Assert.Equal(("named later", "on an old run"), (reopened.Load("first")!.Name, reopened.Load("first")!.Notes));
        var interrupted = reopened.Load("queued")!;
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.NotNull(interrupted.FinishedAt);
        Assert.Equal(6, reopened.Load("first")!.Teacher.History.Count + reopened.Load("first")!.StudentScratch.History.Count);
    }

    [Fact]
    public async Task TheDashboardStartedOnAFolderFromThePreviousVersionShowsItsRuns()
    {
        WritePreviousVersion(firstRelease: true);

        using var host = new DashboardHost(new ScriptedEngine(), folder);
        using var http = host.Http();

        var list = await http.GetFromJsonAsync<JsonElement>("/api/runs");
        Assert.Equal(["queued", "failed", "reused", "first"], list.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var first = (await http.GetFromJsonAsync<RunDetails>("/api/runs/first", DashboardHost.Json))!;
        Assert.Equal((3, 3, 3), (first.Teacher.History.Count, first.StudentScratch.History.Count, first.StudentDistilled.History.Count));
        Assert.Equal(0.8, first.StudentDistilled.TestAccuracy);
        // Queued when the previous version stopped: the start marks it, as it always has.
        Assert.Equal(RunStatus.Interrupted, (await http.GetFromJsonAsync<RunDetails>("/api/runs/queued", DashboardHost.Json))!.Status);
    }

    [Fact]
    public void ANewDatabaseIsMigratedInWalModeAndTheMigrationsMatchTheModel()
    {
        var store = new RunStore(Options);

        using var db = new RunHistoryDb(RunHistoryDb.Sqlite($"Data Source={store.DatabasePath}"));
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a migration (docs/decisions.md: adding one)");
        Assert.Equal(db.Database.GetMigrations(), db.Database.GetAppliedMigrations());
        Assert.Equal("wal", Query(DatabasePath, "PRAGMA journal_mode").Single());
    }

    [Fact]
    public void WritesToALockedDatabaseFailAsSqliteBusyForTheJournalToRetry()
    {
        var store = new RunStore(Options);
        var run = CompareRuns.Run("locked", new(), (0.9, 0.8, 0.8));
        store.Insert(run, "key");
        using var locker = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        locker.Open();
        Execute(locker, "BEGIN EXCLUSIVE");

        Assert.False(store.IsFreeToWrite());
        // SaveChanges (EF wraps the error in DbUpdateException) and ExecuteUpdate both surface SQLite's own error.
        var insert = Assert.Throws<SqliteException>(() => store.Insert(run with { Id = "second" }, "key"));
        var update = Assert.Throws<SqliteException>(() => store.Update(run));
        Assert.True(RunJournal.IsTransient(insert), insert.Message);
        Assert.True(RunJournal.IsTransient(update), update.Message);

        Execute(locker, "COMMIT");
        Assert.True(store.IsFreeToWrite());
        store.Insert(run with { Id = "second" }, "key");
        Assert.Equal(2, store.List().Count);
    }

    /// <summary>Four runs as the previous version stored them: completed with a name, one reusing its teacher, a
    /// failed one, one still queued.</summary>
    private List<RunDetails> WritePreviousVersion(bool firstRelease)
    {
        var at = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var data = new DataSummary("synthetic", ["cat", "dog"], 80, 10, 10, new Dictionary<string, int> { ["corrupt"] = 2 });
        var first = CompareRuns.Run("first", new LabConfig { Alpha = 0.2, Temperature = 3 }, (0.9, 0.7, 0.8), name: "baseline")
            with { Notes = "two\nlines", Data = data, Teacher = new ModelView { Parameters = 1000, TestAccuracy = 0.9, TestLoss = 0.3, History = CompareRuns.History(0.6), ModelBytes = 4000, InferenceMillisecondsPerImage = 1.5 } };
        // Stored before models carried ReusedFrom: the source is only in teacher_from.
        var reused = CompareRuns.Run("reused", new LabConfig { Alpha = 0.5 }, (0.9, 0.72, 0.81), teacher: []) with
        {
            CreatedAt = at.AddHours(1), StartedAt = at.AddHours(1), FinishedAt = at.AddHours(1.5), TeacherReusedFrom = "first",
            Teacher = new ModelView { Parameters = 1000, TestAccuracy = 0.9, TestLoss = 0.3, Reused = true },
        };
        var failed = CompareRuns.Run("failed", new LabConfig { Data = "folder:/gone" }, (0, 0, 0)) with
        {
            Status = RunStatus.Failed, Error = "The folder '/gone' does not exist.", CreatedAt = at.AddDays(1).ToOffset(TimeSpan.FromHours(2)),
            StartedAt = at.AddDays(1), FinishedAt = at.AddDays(1).AddSeconds(3), ImageSize = null, Device = null, TotalSeconds = null,
            Teacher = new ModelView(), StudentScratch = new ModelView(),
            StudentDistilled = new ModelView(),
        };
        var empty = new ModelView();
        var queued = new RunDetails("queued", RunStatus.Queued, new LabConfig(), false, at.AddDays(2)) { Name = "waiting" };

        using (var previous = new PreviousVersionDatabase(DatabasePath, firstRelease))
        {
            previous.Save(first, "teacher-a", "scratch-a");
            previous.SavePredictions("first", Predictions("first").Select(p => p.Truth).ToList(), Predictions("first").Select(p => p.Teacher).ToArray(),
                Predictions("first").Select(p => p.Scratch).ToArray(), Predictions("first").Select(p => p.Distilled).ToArray());
            previous.Save(reused, "teacher-a");
            previous.Save(failed, "teacher-b");
            previous.Insert(queued, "teacher-a");
        }
        SqliteConnection.ClearAllPools();
        return [first, reused, failed, queued];
    }

    private static List<StoredPrediction> Predictions(string runId) => Enumerable.Range(0, 6)
        .Select(i => new StoredPrediction(i, i % 2, new(i % 2, 0.9 - i / 100.0), new((i + 1) % 2, 0.6), new(i % 3 == 0 ? 1 : i % 2, 0.7 + i / 1000.0)))
        .ToList();

    /// <summary>What the previous version's own Load gave for a run it stored: the teacher's source filled in from teacher_from.</summary>
    private static RunDetails Loaded(RunDetails run) =>
        run.Teacher.Reused && run.Teacher.ReusedFrom is null ? run with { Teacher = run.Teacher with { ReusedFrom = run.TeacherReusedFrom } } : run;

    private static ModelView NoHistory(ModelView view) => view with { History = [] };

    private static string Json(RunDetails? run) => JsonSerializer.Serialize(run, JsonDefaults.Options);

    /// <summary>Each column's name, declared type, key position and, outside the key, whether it may be null
    /// (the hand-written "id TEXT PRIMARY KEY" let SQLite take a null id; EF's key says NOT NULL).</summary>
    private static List<string> Columns(string path, string table) =>
        Query(path, $"SELECT name || ' ' || type || ' pk' || pk || CASE WHEN pk = 0 THEN ' notnull' || \"notnull\" ELSE '' END FROM pragma_table_info('{table}') ORDER BY cid");

    private static List<string> Query(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return rows;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); // a DashboardHost deletes it itself
    }
}
