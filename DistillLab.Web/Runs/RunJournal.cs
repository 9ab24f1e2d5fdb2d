using DistillLab.Web.Runs.RunHistory;

namespace DistillLab.Web.Runs;

/// <summary>Every write the training side makes to the run history goes through here, in order. A database that is
/// busy or locked by another process, or a PostgreSQL server that is restarting or out of reach, delays the writes
/// instead of failing the run or the server: they wait, in order, and a timer writes them once the database is free
/// again, trying less often the longer it stays away (1 s, doubling to 8 s). A write that can never succeed (a
/// read-only or full disk, a refused user) is said at once to the caller, which stops the run with the reason.</summary>
public sealed class RunJournal : IDisposable
{
    private readonly RunStore store;
    private readonly ILogger<RunJournal> logger;
    private readonly Lock gate = new();
    private readonly Queue<(Action<RunStore> Write, Action? Written)> pending = new();
    private readonly Timer retry;
    private string? lastError;
    private bool permanent;
    private int failedRetries;
    private DateTime nextRetry;

    public RunJournal(RunStore store, ILogger<RunJournal> logger)
    {
        this.store = store;
        this.logger = logger;
        retry = new Timer(_ => Flush(), null, RetryEvery, RetryEvery);
    }

    internal static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxRetryWait = TimeSpan.FromSeconds(8);

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
                if (permanent && stopOnFailure) throw new RunStorageException(store, new IOException(lastError));
                return;
            }
            FlushLocked(stopOnFailure);
        }
    }

    private void Flush()
    {
        // Checked before taking the gate, without waiting: a retry must never hold up the training thread's writes.
        if (Pending.Count == 0 || DateTime.UtcNow < nextRetry) return;
        if (!store.IsFreeToWrite())
        {
            lock (gate) BackOff();
            return;
        }
        lock (gate)
        {
            if (pending.Count == 0) return;
            try { FlushLocked(throwPermanent: false); }
            catch (Exception e) { logger.LogError(e, "Writing the run history failed"); }
            if (pending.Count > 0) BackOff();
        }
    }

    /// <summary>The next retry waits twice as long as the last, from 1 s up to MaxRetryWait.</summary>
    private void BackOff()
    {
        failedRetries++;
        var wait = TimeSpan.FromTicks(Math.Min(RetryEvery.Ticks << Math.Min(failedRetries - 1, 10), MaxRetryWait.Ticks));
        nextRetry = DateTime.UtcNow + wait - TimeSpan.FromMilliseconds(50); // the timer's own tick is 1 s
        logger.LogDebug("The run history is still unavailable; next try in {Seconds} s", wait.TotalSeconds);
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
            catch (Exception e) when (HistoryErrors.IsRefusal(e))
            {
                if (lastError is null) logger.LogError("The run history database refuses writes ({Reason}); {Count} write(s) are kept and retried", e.Message, pending.Count);
                lastError = e.Message;
                permanent = true;
                // Kept: it is retried by the timer should the folder become writable again.
                if (throwPermanent) throw new RunStorageException(store, e);
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
        failedRetries = 0;
        nextRetry = default;
    }

    /// <summary>The database will take the write again soon (HistoryErrors.IsTransient): SQLite busy or locked by another
    /// connection, PostgreSQL restarting or out of reach.</summary>
    internal static bool IsTransient(Exception e) => HistoryErrors.IsTransient(e);

    public void Dispose()
    {
        retry.Dispose();
        Flush();
    }
}

/// <summary>The run history cannot be written at all: the run stops with this message.</summary>
public sealed class RunStorageException(RunStore store, Exception inner) : Exception(
    $"The run history '{store.DatabasePath}' cannot be written ({inner.Message}). The run was stopped so that nothing it learns is " +
    $"lost unseen: {store.WhatToDo}.", inner);
