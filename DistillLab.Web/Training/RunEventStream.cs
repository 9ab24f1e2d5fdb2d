using System.Threading.Channels;

namespace DistillLab.Web.Training;

/// <summary>The one in-process stream of run events. The training thread publishes without blocking; each
/// subscriber (a Blazor component, the hub relay) gets its own queue and reader, so a slow browser circuit
/// never delays the hub or another tab, and every subscriber sees events in publish order.</summary>
public sealed class RunEventStream(ILogger<RunEventStream> logger) : IHostedService
{
    private readonly Lock gate = new();
    private readonly ILogger log = logger;
    private readonly List<Subscription> subscriptions = [];
    private readonly CancellationTokenSource stopping = new();

    public void Publish(RunEvent runEvent)
    {
        Subscription[] current;
        lock (gate) current = [.. subscriptions];
        foreach (var subscription in current) subscription.Offer(runEvent);
    }

    /// <summary>Calls <paramref name="handler"/> for every later event, one at a time, until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Func<RunEvent, Task> handler)
    {
        var subscription = new Subscription(this, handler);
        lock (gate) subscriptions.Add(subscription);
        subscription.Start(stopping.Token);
        return subscription;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        stopping.Cancel();
        return Task.CompletedTask;
    }

    private void Remove(Subscription subscription)
    {
        lock (gate) subscriptions.Remove(subscription);
    }

    private sealed class Subscription(RunEventStream stream, Func<RunEvent, Task> handler) : IDisposable
    {
        // Bounded: a subscriber stuck for minutes loses its oldest events rather than growing memory.
        // Batch progress is throttled upstream and charts re-read the run's state, so nothing is lost for good.
        private readonly Channel<RunEvent> queue = Channel.CreateBounded<RunEvent>(
            new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });
        private Task reader = Task.CompletedTask;

        public void Offer(RunEvent runEvent) => queue.Writer.TryWrite(runEvent);

        public void Start(CancellationToken stopping) => reader = Task.Run(() => Read(stopping));

        private async Task Read(CancellationToken stopping)
        {
            try
            {
                await foreach (var runEvent in queue.Reader.ReadAllAsync(stopping))
                {
                    try { await handler(runEvent); }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        stream.log.LogWarning(e, "A subscriber failed on {Event}", runEvent.GetType().Name);
                    }
                }
            }
            catch (OperationCanceledException) { }
        }

        public void Dispose()
        {
            stream.Remove(this);
            queue.Writer.TryComplete();
        }
    }
}
