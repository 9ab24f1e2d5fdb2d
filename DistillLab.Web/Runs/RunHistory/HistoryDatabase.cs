using System.Runtime.ExceptionServices;
using DistillLab.Web.Settings;
using Polly;

namespace DistillLab.Web.Runs.RunHistory;

/// <summary>Which database holds the run history and what its errors mean: the SQLite file in the data folder
/// (Jobs:Engine embedded) or the PostgreSQL database of ConnectionStrings:DistillLab (postgres). RunStore and StudyStore
/// are the same over both.</summary>
public abstract class HistoryDatabase
{
    /// <summary>The SQLite file, or the PostgreSQL database as host:port/name (for messages; never a password).</summary>
    public abstract string Location { get; }

    /// <summary>What a person can do when the database refuses writes for good (the end of RunStorageException's message).</summary>
    public abstract string WhatToDo { get; }

    /// <summary>A new context on the database (the caller disposes it).</summary>
    public abstract RunHistoryDb Open();

    /// <summary>Creates or upgrades the schema; called once, before the store is used.</summary>
    public abstract void Prepare();

    /// <summary>True when a write could start right now; never waits long for the database.</summary>
    public abstract bool IsFreeToWrite();

    /// <summary>Runs one unit of work on a fresh context and returns what it returns. EF's wrappers are removed from a
    /// database error (the caller sees SqliteException or NpgsqlException), and a provider may retry a failure that a
    /// second attempt can get past (a connection a restarted PostgreSQL broke).</summary>
    public T Execute<T>(Func<RunHistoryDb, T> work)
    {
        try
        {
            return Retry.Execute(() =>
            {
                using var db = Open();
                return work(db);
            });
        }
        catch (Exception e) when (!ReferenceEquals(HistoryErrors.Unwrap(e), e))
        {
            ExceptionDispatchInfo.Throw(HistoryErrors.Unwrap(e));
            throw; // not reached: Throw does not return
        }
    }

    /// <summary>The same for work that returns nothing.</summary>
    public void Execute(Action<RunHistoryDb> work) => Execute(db => { work(db); return 0; });

    /// <summary>What a failed unit of work gets before the caller sees the error (DatabaseRetry): nothing by default
    /// (SQLite waits for its lock itself, and RunJournal retries the training side's writes).</summary>
    protected virtual ResiliencePipeline Retry => ResiliencePipeline.Empty;

    /// <summary>The database Jobs:Engine names: SQLite in the data folder, or PostgreSQL.</summary>
    public static HistoryDatabase From(DataOptions data, JobsOptions jobs, string? connectionString, ILoggerFactory loggers) =>
        jobs.IsPostgres
            ? new PostgresHistory(connectionString ?? "", loggers.CreateLogger<PostgresHistory>())
            : new SqliteHistory(data.FullDirectory);
}
