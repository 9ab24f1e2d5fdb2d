using DistillLab.Core.Experiments;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;
using DistillLab.Web.Runs;
using DistillLab.Web.Runs.RunHistory;
using DistillLab.Web.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DistillLab.Tests.Web.Runs.RunHistory;

/// <summary>The same round trips on PostgreSQL (Jobs:Engine postgres), each on a fresh database of the throwaway
/// cluster; and what a restarted server does to the store and to the training side's writes.</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class PostgresStoreTests(PostgresServer server) : HistoryStoreContract
{
    protected override RunStore NewStore() => new(new PostgresHistory(server.CreateDatabase("store"), NullLogger.Instance));

    [Fact]
    public void ANewDatabaseGetsPostgresOwnMigrationsAndTheyMatchTheModel()
    {
        string connectionString = server.CreateDatabase("schema");
        var store = NewStore(connectionString);
        Assert.StartsWith($"PostgreSQL 127.0.0.1:{server.Port}/schema_", store.DatabasePath);

        using var db = new PostgresRunHistoryDb(PostgresRunHistoryDb.Options(connectionString));
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a PostgreSQL migration (docs/decisions.md: adding one)");
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.Equal(db.Database.GetMigrations(), db.Database.GetAppliedMigrations());
        // Native types, not SQLite's text: times are timestamptz.
        Assert.Equal("timestamp with time zone", Scalar(connectionString,
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'runs' AND column_name = 'created'"));
        // Opening it again applies nothing (and takes no migration lock).
        NewStore(connectionString);
        Assert.Equal(db.Database.GetMigrations().Count(), Convert.ToInt32(Scalar(connectionString, "SELECT COUNT(*) FROM \"__EFMigrationsHistory\"")));
    }

    [Fact]
    public void TheEngineSettingChoosesTheDatabase()
    {
        using var folder = new TempFolder();
        var data = new DataOptions { Directory = folder.Path, Roots = [folder.Path] };
        string connectionString = server.CreateDatabase("engine");
        var embedded = HistoryDatabase.From(data, new JobsOptions(), connectionString, NullLoggerFactory.Instance);
        var postgres = HistoryDatabase.From(data, new JobsOptions { Engine = "postgres" }, connectionString, NullLoggerFactory.Instance);

        Assert.Equal(Path.Combine(folder.Path, "distilllab.db"), Assert.IsType<SqliteHistory>(embedded).Location);
        var store = new RunStore(Assert.IsType<PostgresHistory>(postgres));
        store.Insert(CompareRuns.Run("in-postgres", new LabConfig(), (0.9, 0.7, 0.8)), "key");
        Assert.False(File.Exists(Path.Combine(folder.Path, "distilllab.db")), "postgres mode writes no SQLite file");
        Assert.Equal("in-postgres", Scalar(connectionString, "SELECT id FROM runs"));
    }

    [Fact]
    public void AfterARestartTheStoreReadsAndWritesAtOnceOnFreshConnections()
    {
        var store = NewStore(server.CreateDatabase("restart"));
        // Fill the pool with a few connections the restart will break.
        Parallel.For(0, 4, i => store.Insert(CompareRuns.Run($"run-{i}", new LabConfig(), (0.9, 0.7, 0.8)), "key"));

        server.Restart();

        Assert.Equal(4, store.List().Count);
        store.Insert(CompareRuns.Run("after", new LabConfig(), (0.9, 0.7, 0.8)), "key");
        Assert.Equal(5, store.List().Count);
    }

    [Fact]
    public void WritesDuringAServerRestartWaitInOrderAndAllLandWithoutTheWriterSeeingAnError()
    {
        var store = NewStore(server.CreateDatabase("journal"));
        var log = new ListLogger();
        using var journal = new RunJournal(store, log);
        var run = CompareRuns.Run("run", new LabConfig(), (0.9, 0.7, 0.8)) with { Teacher = new ModelView() };
        journal.Write(s => s.Insert(run, "key"));
        var epochs = CompareRuns.History(0.5, epochs: 40);

        for (int i = 0; i < epochs.Count; i++)
        {
            if (i == 10) server.Stop(immediate: true);
            var epoch = epochs[i]; // a waiting write runs later: it must not read the loop's variable then
            journal.Write(s => s.AddEpoch("run", ModelRole.Teacher, epoch));
            if (i == 20)
            {
                Assert.True(journal.Pending.Count > 0, "writes wait while the server is down");
                Assert.NotNull(journal.Pending.Reason);
                server.Start();
            }
        }
        for (int i = 0; i < 300 && journal.Pending.Count > 0; i++) Thread.Sleep(100);

        Assert.Equal((0, (string?)null), journal.Pending);
        Assert.Equal(epochs.Select(e => e.Epoch), store.Load("run")!.Teacher.History.Select(e => e.Epoch));
        Assert.Contains(log.Lines, l => l.StartsWith("Warning: The run history database is busy"));
        Assert.Contains(log.Lines, l => l.StartsWith("Information: The run history database is free again"));
    }

    [Fact]
    public async Task AStartWhileTheServerIsDownWaitsForItAndSaysSo()
    {
        string connectionString = server.CreateDatabase("late");
        var log = new ListLogger();
        server.Stop();
        Task<RunStore> starting;
        try
        {
            starting = Task.Run(() => new RunStore(new PostgresHistory(connectionString, log)));
            for (int i = 0; i < 100 && log.Lines.Count < 2; i++) await Task.Delay(100);
            Assert.False(starting.IsCompleted, "the store waits for the server");
        }
        finally { server.Start(); }

        var store = await starting.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(store.List());
        Assert.StartsWith($"Warning: The run history at PostgreSQL 127.0.0.1:{server.Port}/late_", log.Lines[0]);
        Assert.Contains("cannot be reached", log.Lines[0]);
        // The waits have jitter (DatabaseRetry): each line says its own, and which attempt failed.
        Assert.Matches(@"trying again in \d+(\.\d)? s \(attempt 1\)", log.Lines[0]);
        Assert.Matches(@"trying again in \d+(\.\d)? s \(attempt 2\)", log.Lines[1]);
        Assert.Contains(log.Lines, l => l.StartsWith("Information: Reached the run history"));
    }

    [Fact]
    public void AUserThePostgresServerRefusesIsNamedAtStartNotRetried()
    {
        string refused = new NpgsqlConnectionStringBuilder(server.CreateDatabase("refused")) { Username = "nobody" }.ToString();
        var error = Assert.Throws<HistoryDatabaseException>(() => NewStore(refused));
        Assert.Contains($"PostgreSQL 127.0.0.1:{server.Port}/refused_", error.Message);
        Assert.Contains("nobody", error.Message);
        Assert.Contains("ConnectionStrings:DistillLab", error.Message);
    }

    private static RunStore NewStore(string connectionString) => new(new PostgresHistory(connectionString, NullLogger.Instance));

    private static string? Scalar(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        connection.Open();
        return Convert.ToString(new NpgsqlCommand(sql, connection).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class ListLogger : ILogger<RunJournal>
    {
        private readonly List<string> lines = [];
        public IReadOnlyList<string> Lines { get { lock (lines) return lines.ToList(); } }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines) lines.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
