using System.Collections.Concurrent;

namespace DistillLab.Core.Data;

/// <summary>Cuts an image set into batches on a background task, two batches ahead, so training never waits on data.</summary>
public static class BatchLoader
{
    private const int Prefetch = 2;

    /// <summary>Batches over <paramref name="set"/>; the last one may be smaller.</summary>
    /// <param name="shuffleSeed">null keeps the set's order (evaluation); a seed shuffles with Fisher-Yates.
    /// Pass a different seed each epoch (see <see cref="EpochSeed"/>) to get a new order per epoch.</param>
    /// <remarks>Stopping the enumeration early (break, Dispose) stops the producer; its exceptions surface here.</remarks>
    /// <param name="prefetch">Build batches on a background thread, two ahead (the default). Without it each batch is
    /// gathered when asked for, on the caller's thread: on a 2-core CPU that was faster (see docs/decisions.md),
    /// because the gather is a memcpy of ~0.05 ms while the prefetch thread competes with libtorch's threads.</param>
    public static IEnumerable<Batch> Batches(ImageSet set, int batchSize, int? shuffleSeed, CancellationToken ct = default, bool prefetch = true)
    {
        if (prefetch) return Batches(set, batchSize, shuffleSeed, ct, onBatchBuilt: null);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Gather(set, batchSize, shuffleSeed, ct);
    }

    /// <summary>As above; <paramref name="onBatchBuilt"/> runs on the producer after each batch is built (tests watch the producer with it).</summary>
    internal static IEnumerable<Batch> Batches(ImageSet set, int batchSize, int? shuffleSeed, CancellationToken ct, Action<int>? onBatchBuilt)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Produce(set, batchSize, shuffleSeed, ct, onBatchBuilt);
    }

    /// <summary>A seed for one epoch derived from the run seed, so epochs differ but runs repeat.</summary>
    public static int EpochSeed(int seed, int epoch) => unchecked(seed * 1_000_003 + epoch);

    /// <summary>How many batches <see cref="Batches"/> yields for a set of <paramref name="count"/> images.</summary>
    public static int BatchCount(int count, int batchSize) => (count + batchSize - 1) / batchSize;

    private static IEnumerable<Batch> Gather(ImageSet set, int batchSize, int? shuffleSeed, CancellationToken ct)
    {
        var order = Order(set, shuffleSeed);
        for (int start = 0; start < order.Length; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            yield return Build(set, order, start, Math.Min(batchSize, order.Length - start));
        }
    }

    private static int[] Order(ImageSet set, int? shuffleSeed) =>
        shuffleSeed is { } seed ? PoolSplit.Shuffled(set.Count, seed) : Enumerable.Range(0, set.Count).ToArray();

    private static IEnumerable<Batch> Produce(ImageSet set, int batchSize, int? shuffleSeed, CancellationToken ct, Action<int>? onBatchBuilt)
    {
        var order = Order(set, shuffleSeed);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var queue = new BlockingCollection<Batch>(Prefetch);
        // A dedicated thread: the producer blocks for most of an epoch, which a pool thread should not do.
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                for (int start = 0, built = 1; start < order.Length; start += batchSize, built++)
                {
                    var batch = Build(set, order, start, Math.Min(batchSize, order.Length - start));
                    onBatchBuilt?.Invoke(built);
                    queue.Add(batch, stop.Token);
                }
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(ct))
                yield return batch;
            producer.GetAwaiter().GetResult(); // rethrows what went wrong in the producer, with its own stack
        }
        finally
        {
            // Reached on break, Dispose, cancellation or error: the producer must not outlive the enumeration.
            stop.Cancel();
            try { producer.Wait(); }
            catch (AggregateException) { }
        }
    }

    private static Batch Build(ImageSet set, int[] order, int start, int count)
    {
        int imageBytes = set.ImageBytes;
        var pixels = new byte[count * imageBytes];
        var labels = new long[count];
        var indices = order.AsSpan(start, count).ToArray();
        for (int i = 0; i < count; i++)
        {
            int index = indices[i];
            set.Image(index).CopyTo(pixels.AsSpan(i * imageBytes, imageBytes));
            labels[i] = set.Labels[index];
        }
        return new Batch(pixels, labels, count, set.Channels, set.ImageSize, indices);
    }
}
