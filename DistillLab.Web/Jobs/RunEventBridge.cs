using System.Runtime.CompilerServices;
using DistillLab.Web.Runs;
using DistillLab.Web.Runs.RunHistory;
using Npgsql;

namespace DistillLab.Web.Jobs;

/// <summary>Carries run events between processes under the postgres job engine: every event this process publishes is
/// sent with NOTIFY on one channel, and every event another process sent is published here, so the pages and the hub
/// of every dashboard see every worker's runs. Reconnects by itself, with backoff, when PostgreSQL goes away; events
/// sent meanwhile wait in order (RunEventSender).</summary>
public sealed class RunEventBridge(RunEventStream events, RunRegistry registry, RemoteRuns remote, JobsSettings settings,
    ILogger<RunEventBridge> logger) : BackgroundService
{
    public const string Channel = "distilllab_run_events";
    private readonly string origin = $"{settings.WorkerName}/{Guid.NewGuid():N}";
    // Events that came from elsewhere are published here too; they must not be sent back out.
    private readonly ConditionalWeakTable<RunEvent, object> received = [];
    private readonly RunEventSender sender = new(settings.RequireConnection(), Channel, logger);
    private IDisposable? subscription;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Outward: the training thread waits (briefly) for an epoch's NOTIFY, as it waits for the hub.
        subscription = events.Subscribe(Send, outward: true);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        subscription?.Dispose();
        await base.StopAsync(cancellationToken);
        await sender.DisposeAsync();
    }

    private async Task Send(RunEvent e)
    {
        if (received.TryGetValue(e, out _)) return;
        var live = registry.LiveSnapshot(e.RunId);
        string payload = new RunEventWire(origin, e, live?.Stage, live?.Progress).ToJson();
        if (payload.Length > RunEventWire.MaxBytes) return;
        await sender.Send(payload);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(Listen(stoppingToken), SendHeld(stoppingToken));

    // Events held while PostgreSQL was away go out within a second of its return, even when no new event follows.
    private async Task SendHeld(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await sender.SendHeld();
        }
        catch (OperationCanceledException) { }
    }

    private async Task Listen(CancellationToken stoppingToken)
    {
        bool failed = false;
        var reconnect = DatabaseRetry.Pipeline(DatabaseRetry.UntilReachable, DatabaseRetry.IsConnectionLost, notice =>
        {
            logger.LogWarning("Live run events from other processes stopped: PostgreSQL cannot be reached ({Reason}); retrying in {Seconds} s",
                notice.Error.Message, notice.Seconds);
            failed = true;
            ClearPool();
        });
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await reconnect.ExecuteAsync(Connect, stoppingToken);
                if (failed) logger.LogInformation("Live run events from other processes flow again");
                failed = false;
                while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) when (DatabaseRetry.IsConnectionLost(ex))
            {
                // A connection that was up broke: the first pause, then the pipeline again, its waits growing from the start.
                logger.LogWarning("Live run events from other processes stopped: PostgreSQL cannot be reached ({Reason}); retrying in {Seconds} s",
                    ex.Message, DatabaseRetry.UntilReachable.FirstWait.TotalSeconds);
                failed = true;
                ClearPool();
                try { await Task.Delay(DatabaseRetry.UntilReachable.FirstWait, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>A connection that LISTENs on the channel; disposed again when either step fails.</summary>
    private async ValueTask<NpgsqlConnection> Connect(CancellationToken stoppingToken)
    {
        var connection = new NpgsqlConnection(settings.RequireConnection());
        try
        {
            connection.Notification += (_, n) => Receive(n.Payload);
            await connection.OpenAsync(stoppingToken);
            await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection)) await listen.ExecuteNonQueryAsync(stoppingToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private void ClearPool() => NpgsqlConnection.ClearPool(new NpgsqlConnection(settings.RequireConnection()));

    private void Receive(string payload)
    {
        RunEventWire? wire;
        try { wire = RunEventWire.Parse(payload); }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException)
        {
            logger.LogWarning("A run event from another process could not be read ({Reason})", ex.Message);
            return;
        }
        if (wire is null || wire.Origin == origin) return;
        remote.Note(wire.Event, wire.Stage, wire.Progress);
        received.AddOrUpdate(wire.Event, origin);
        events.Publish(wire.Event);
    }
}
