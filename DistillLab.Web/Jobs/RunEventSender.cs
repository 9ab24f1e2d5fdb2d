using DistillLab.Web.Runs.RunHistory;
using Npgsql;
using Polly;

namespace DistillLab.Web.Jobs;

/// <summary>The sending half of <see cref="RunEventBridge"/>: NOTIFY on a connection of its own, one event at a time, in
/// order. While PostgreSQL cannot be reached the events wait (the newest <see cref="MaxHeld"/>) and go out, still in
/// order, with the next event or at the next <see cref="SendHeld"/>, so a restart of the server loses none.</summary>
internal sealed class RunEventSender(string connectionString, string channel, ILogger logger) : IAsyncDisposable
{
    internal const int MaxHeld = 5000;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Queue<string> held = new();
    private NpgsqlConnection? connection;
    private ResiliencePipeline? onceMore;
    private bool reused;
    private bool waiting;
    private int dropped;

    public async Task Send(string payload)
    {
        await gate.WaitAsync();
        try
        {
            held.Enqueue(payload);
            if (held.Count > MaxHeld) { held.Dequeue(); dropped++; }
            await Flush();
        }
        finally { gate.Release(); }
    }

    /// <summary>Sends the events that wait, if any (the bridge calls it every second).</summary>
    public async Task SendHeld()
    {
        await gate.WaitAsync();
        try { if (held.Count > 0) await Flush(); }
        finally { gate.Release(); }
    }

    private async Task Flush()
    {
        int sent = 0;
        while (held.TryPeek(out string? next))
        {
            if (await TrySend(next) is { } reason)
            {
                if (!waiting) logger.LogWarning("Run events cannot be sent to other processes ({Reason}); they wait and go out in order when PostgreSQL is back", reason);
                waiting = true;
                return;
            }
            held.Dequeue();
            sent++;
        }
        if (!waiting) return;
        logger.LogInformation("PostgreSQL is back: {Count} held run event(s) sent to other processes{Dropped}", sent,
            dropped > 0 ? $" ({dropped} older ones dropped)" : "");
        waiting = false;
        dropped = 0;
    }

    /// <returns>Null when sent, otherwise why not.</returns>
    private async Task<string?> TrySend(string payload)
    {
        try
        {
            await OnceMore.ExecuteAsync(_ => Notify(payload));
            return null;
        }
        catch (Exception ex) when (DatabaseRetry.IsConnectionLost(ex)) { return ex.Message; }
    }

    // A connection a restarted server broke still looks open until used: one more try at once, on a fresh one.
    private ResiliencePipeline OnceMore => onceMore ??= DatabaseRetry.Pipeline(DatabaseRetry.OnceMore(TimeSpan.Zero),
        e => reused && DatabaseRetry.IsConnectionLost(e), _ => { });

    private async ValueTask Notify(string payload)
    {
        reused = connection is { State: System.Data.ConnectionState.Open };
        try
        {
            if (!reused)
            {
                if (connection is not null) await connection.DisposeAsync();
                connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
            }
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            notify.Parameters.AddWithValue("channel", channel);
            notify.Parameters.AddWithValue("payload", payload);
            await notify.ExecuteNonQueryAsync();
        }
        catch (Exception ex) when (DatabaseRetry.IsConnectionLost(ex))
        {
            // The pool's other idle connections died with the server too.
            NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
            if (connection is not null) await connection.DisposeAsync();
            connection = null;
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null) await connection.DisposeAsync();
    }
}
