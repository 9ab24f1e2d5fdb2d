using Microsoft.EntityFrameworkCore;
using Npgsql;
using Polly;

namespace DistillLab.Web.Runs.RunHistory;

/// <summary>The run history in the PostgreSQL database of ConnectionStrings:DistillLab (Jobs:Engine postgres), shared
/// by every dashboard and worker.</summary>
/// <remarks>A restarted or unreachable server is expected, not fatal: start-up waits for it (DatabaseRetry.UntilReachable)
/// and says so in the log; a unit of work that meets a connection the restart broke is tried again after 0.2 s on a
/// fresh one (the pool's other idle connections are dropped with it); a longer outage reaches RunJournal, which keeps
/// the training side's writes in order and retries them.</remarks>
public sealed class PostgresHistory : HistoryDatabase
{
    private readonly string connectionString;
    private readonly DbContextOptions<PostgresRunHistoryDb> options;
    private readonly ILogger logger;

    public PostgresHistory(string connectionString, ILogger logger)
    {
        this.connectionString = connectionString;
        this.logger = logger;
        options = PostgresRunHistoryDb.Options(connectionString);
        Retry = DatabaseRetry.Pipeline(DatabaseRetry.OnceMore(TimeSpan.FromMilliseconds(200)), DatabaseRetry.IsAway, _ => ClearPool());
        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        Location = $"PostgreSQL {parsed.Host}:{parsed.Port}/{parsed.Database ?? parsed.Username}";
    }

    public override string Location { get; }

    public override string WhatToDo =>
        "check that the PostgreSQL server is up and that ConnectionStrings:DistillLab's user may write to it, then start it again";

    public override RunHistoryDb Open() => new PostgresRunHistoryDb(options);

    /// <summary>Applies the migrations the database lacks, one process at a time (SchemaLock), waiting (with backoff,
    /// logged) while the server cannot be reached.</summary>
    /// <exception cref="HistoryDatabaseException">The server answered but refused (wrong password, no such role, no permission).</exception>
    public override void Prepare()
    {
        int failures = 0;
        var untilReachable = DatabaseRetry.Pipeline(DatabaseRetry.UntilReachable, DatabaseRetry.IsAway, notice =>
        {
            failures = notice.Try;
            ClearPool();
            logger.LogWarning("The run history at {Location} cannot be reached ({Reason}); trying again in {Seconds} s (attempt {Attempt})",
                Location, HistoryErrors.Unwrap(notice.Error).Message, notice.Seconds, notice.Try);
        });
        try
        {
            untilReachable.Execute(() => SchemaLock.Hold(connectionString, _ =>
            {
                using var db = Open();
                RunHistorySchema.Upgrade(db);
            }));
        }
        catch (Exception e) when (HistoryErrors.Unwrap(e) is NpgsqlException inner)
        {
            throw new HistoryDatabaseException(Location, inner);
        }
        if (failures > 0) logger.LogInformation("Reached the run history at {Location} after {Attempts} attempts", Location, failures + 1);
    }

    public override bool IsFreeToWrite()
    {
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var probe = new NpgsqlCommand("SELECT 1", connection);
            probe.ExecuteScalar();
            return true;
        }
        catch (Exception e) when (HistoryErrors.IsTransient(e))
        {
            ClearPool();
            return false;
        }
    }

    /// <summary>One more attempt, on a fresh connection after 0.2 s, for a unit of work PostgreSQL's absence failed: after
    /// a server restart the pool's idle connections are all broken, and each would fail one unit of work otherwise.</summary>
    protected override ResiliencePipeline Retry { get; }

    // The pool's other idle connections died with the server too.
    private void ClearPool() => NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
}

/// <summary>PostgreSQL answered but will not hold the run history (authentication, permissions): said in one line at start.</summary>
public sealed class HistoryDatabaseException(string location, Exception inner) : Exception(
    $"The run history database ({location}) refused DistillLab: {inner.Message}. Check ConnectionStrings:DistillLab " +
    "(appsettings.json, or DISTILLLAB_ConnectionStrings__DistillLab): the user must be able to connect and create tables.", inner);
