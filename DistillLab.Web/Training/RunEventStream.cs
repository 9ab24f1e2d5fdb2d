using System.Threading.Channels;

namespace DistillLab.Web.Training;

/// <summary>The one in-process stream of run events. The training thread publishes without blocking;
/// a background loop delivers each event, in order, to every subscriber (Blazor components, the hub relay).</summary>
public sealed class RunEventStream(ILogger<RunEventStream> logger) : BackgroundService
{
    // Bounded so a stalled subscriber cannot grow memory without limit; batch progress is throttled
    // upstream, so thousands of pending events means something is badly stuck, and dropping is the lesser harm.
    private readonly Channel<RunEvent> events = Channel.CreateBounded<RunEvent>(
        new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Lock gate = new();
    private ImmutableSubscribers subscribers = new([]);

    private sealed record ImmutableSubscribers(Func<RunEvent, Task>[] Handlers);

    public void Publish(RunEvent runEvent) => events.Writer.TryWrite(runEvent);

    /// <summary>Calls <paramref name="handler"/> for every later event until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Func<RunEvent, Task> handler)
    {
        lock (gate) subscribers = new([.. subscribers.Handlers, handler]);
        return new Subscription(this, handler);
    }

    private void Unsubscribe(Func<RunEvent, Task> handler)
    {
        lock (gate) subscribers = new(subscribers.Handlers.Where(h => h != handler).ToArray());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var runEvent in events.Reader.ReadAllAsync(stoppingToken))
            {
                var handlers = subscribers.Handlers;
                await Task.WhenAll(handlers.Select(h => Deliver(h, runEvent)));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task Deliver(Func<RunEvent, Task> handler, RunEvent runEvent)
    {
        try { await handler(runEvent); }
        catch (Exception e) { logger.LogWarning(e, "A subscriber failed on {Event}", runEvent.GetType().Name); }
    }

    private sealed class Subscription(RunEventStream stream, Func<RunEvent, Task> handler) : IDisposable
    {
        private int disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) stream.Unsubscribe(handler);
        }
    }
}
