using Microsoft.Data.Sqlite;

namespace DistillLab.Web.Runs;

/// <summary>Every write the training side makes to the run history goes through here, in order. A database that is
/// busy or locked by another process delays the writes instead of failing the run or the server: they wait, in order,
/// and a timer writes them once the database is free. A write that can never succeed (a read-only or full disk) is
/// said at once to the caller, which stops the run with the reason.</summary>
public sealed class RunJournal : IDisposable
{
    private readonly RunStore store;
    private readonly ILogger<RunJournal> logger;
    private readonly Lock gate = new();
    private readonly Queue<(Action<RunStore> Write, Action? Written)> pending = new();
    private readonly Timer retry;
    private string? lastError;
    private bool permanent;

    public RunJournal(RunStore store, ILogger<RunJournal> logger)
    {
        this.store = store;
        this.logger = logger;
        retry = new Timer(_ => Flush(), null, RetryEvery, RetryEvery);
    }

    internal static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);

    /// <summary>Writes waiting for the database, and why.</summary>
    public (int Count, string? Reason) Pending
    {
        get { lock (gate) return (pending.Count, pending.Count > 0 ? lastError : null); }
    }

    /// <summary>Writes now, or after the writes already waiting; <paramref name="written"/> runs once it is stored.</summary>
    /// <param name="stopOnFailure">Throw when the database refuses writes for good. A run's last write (its end
    /// state) passes false: it must be kept and retried, never lost to an exception on the way out.</param>
    /// <exception cref="RunStorageException">The database refuses writes for good (read-only, full, unreadable).</exception>
    public void Write(Action<RunStore> write, Action? written = null, bool stopOnFailure = true)
    {
        lock (gate)
        {
            pending.Enqueue((write, written));
            if (pending.Count > 1)
            {
                // Behind others: order is kept and the timer goes on, unless the database is gone for good.
                if (permanent && stopOnFailure) throw new RunStorageException(store.DatabasePath, new IOException(lastError));
                return;
            }
            FlushLocked(stopOnFailure);
        }
    }

    private void Flush()
    {
        // Checked before taking the gate, without waiting: a retry must never hold up the training thread's writes.
        if (Pending.Count == 0 || !store.IsFreeToWrite()) return;
        lock (gate)
        {
            if (pending.Count == 0) return;
            try { FlushLocked(throwPermanent: false); }
            catch (Exception e) { logger.LogError(e, "Writing the run history failed"); }
        }
    }

    private void FlushLocked(bool throwPermanent)
    {
        int written = 0;
        while (pending.TryPeek(out var next))
        {
            try { next.Write(store); }
            catch (Exception e) when (IsTransient(e))
            {
                if (lastError is null) logger.LogWarning("The run history database is busy ({Reason}); {Count} write(s) wait and are retried every {Seconds} s", e.Message, pending.Count, RetryEvery.TotalSeconds);
                lastError = e.Message;
                permanent = false;
                return;
            }
            catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
            {
                if (lastError is null) logger.LogError("The run history database refuses writes ({Reason}); {Count} write(s) are kept and retried", e.Message, pending.Count);
                lastError = e.Message;
                permanent = true;
                // Kept: it is retried by the timer should the folder become writable again.
                if (throwPermanent) throw new RunStorageException(store.DatabasePath, e);
                return;
            }
            pending.Dequeue();
            written++;
            next.Written?.Invoke();
        }
        if (lastError is not null && written > 0)
            logger.LogInformation("The run history database is free again: {Count} delayed write(s) stored", written);
        lastError = null;
        permanent = false;
    }

    /// <summary>Another connection holds the database (SQLITE_BUSY, SQLITE_LOCKED): it will be free again.</summary>
    internal static bool IsTransient(Exception e) => e is SqliteException { SqliteErrorCode: 5 or 6 };

    public void Dispose()
    {
        retry.Dispose();
        Flush();
    }
}

/// <summary>The run history cannot be written at all: the run stops with this message.</summary>
public sealed class RunStorageException(string databasePath, Exception inner) : Exception(
    $"The run history '{databasePath}' cannot be written ({inner.Message}). The run was stopped so that nothing it learns is " +
    "lost unseen: make the data folder writable (or free space) and start it again.", inner);
