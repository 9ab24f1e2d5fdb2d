using System.Threading.Channels;

namespace DistillLab.Web.Hosting;

/// <summary>An in-process publish/subscribe stream. Publishers never block; each subscriber (a Blazor component,
/// the hub relay) gets its own queue and reader, so a slow browser circuit never delays the hub or another tab,
/// and every subscriber sees events in publish order. One mechanism for every stream the dashboard has.</summary>
public class EventStream<TEvent>(ILogger logger) : IHostedService where TEvent : class
{
    private readonly Lock gate = new();
    private readonly ILogger log = logger;
    private readonly List<Subscription> subscriptions = [];
    private readonly CancellationTokenSource stopping = new();

    public void Publish(TEvent runEvent)
    {
        Subscription[] current;
        lock (gate) current = [.. subscriptions];
        foreach (var subscription in current) subscription.Offer(runEvent, null);
    }

    /// <summary>Publishes, then blocks the calling (training) thread until the outward subscribers (the hub relay)
    /// have sent the event, at most <paramref name="wait"/>. On a busy CPU the training loop would otherwise
    /// starve the threads that carry a rare, important event such as an epoch's end.</summary>
    public void PublishAndWait(TEvent runEvent, TimeSpan wait)
    {
        Subscription[] current;
        lock (gate) current = [.. subscriptions];
        var sent = new List<Task>();
        foreach (var subscription in current)
        {
            var done = subscription.Outward ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
            subscription.Offer(runEvent, done);
            if (done is not null) sent.Add(done.Task);
        }
        if (sent.Count > 0) Task.WaitAll([.. sent], wait);
    }

    /// <summary>Calls <paramref name="handler"/> for every later event, one at a time, until the returned handle is disposed.</summary>
    /// <param name="outward">True for the hub relay: <see cref="PublishAndWait"/> waits for it.</param>
    public IDisposable Subscribe(Func<TEvent, Task> handler, bool outward = false)
    {
        var subscription = new Subscription(this, handler) { Outward = outward };
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

    private sealed class Subscription(EventStream<TEvent> stream, Func<TEvent, Task> handler) : IDisposable
    {
        // Bounded: a subscriber stuck for minutes loses its oldest events rather than growing memory.
        // Batch progress is throttled upstream and charts re-read the run's state, so nothing is lost for good.
        private readonly Channel<(TEvent Event, TaskCompletionSource? Done)> queue = Channel.CreateBounded<(TEvent, TaskCompletionSource?)>(
            new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });
        private Task reader = Task.CompletedTask;

        public bool Outward { get; init; }

        public void Offer(TEvent runEvent, TaskCompletionSource? done)
        {
            if (!queue.Writer.TryWrite((runEvent, done))) done?.TrySetResult();
        }

        public void Start(CancellationToken stopping) => reader = Task.Run(() => Read(stopping));

        private async Task Read(CancellationToken stopping)
        {
            try
            {
                await foreach (var (runEvent, done) in queue.Reader.ReadAllAsync(stopping))
                {
                    try { await handler(runEvent); }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        stream.log.LogWarning(e, "A subscriber failed on {Event}", runEvent.GetType().Name);
                    }
                    finally { done?.TrySetResult(); }
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
