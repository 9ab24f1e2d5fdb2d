using DistillLab.Core.Data;

namespace DistillLab.Tests.Core.Data;

public class BatchLoaderTests
{
    /// <summary>Image i has every pixel equal to i and label i, so a batch says which images it holds.</summary>
    private static ImageSet Numbered(int count, int size = 2)
    {
        int bytes = 3 * size * size;
        var pixels = new byte[count * bytes];
        for (int i = 0; i < count; i++) pixels.AsSpan(i * bytes, bytes).Fill((byte)i);
        return new ImageSet(pixels, Enumerable.Range(0, count).ToArray(), 3, size);
    }

    private static List<long> Order(ImageSet set, int batchSize, int? seed)
        => BatchLoader.Batches(set, batchSize, seed).SelectMany(b => b.Labels).ToList();

    [Fact]
    public void EveryImageAppearsOncePerEpochAndTheLastPartialBatchIsIncluded()
    {
        var batches = BatchLoader.Batches(Numbered(10), 3, shuffleSeed: 5).ToList();
        Assert.Equal([3, 3, 3, 1], batches.Select(b => b.Count));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), batches.SelectMany(b => b.Labels).Order());
        Assert.Equal(BatchLoader.BatchCount(10, 3), batches.Count);
    }

    [Fact]
    public void PixelsAreTheImagesBytesInNchwOrderAndMatchTheirLabels()
    {
        var set = new ImageSet([0, 255, 51, 0, 255, 51, 0, 255, 51], [1, 0, 1], 3, 1);
        var batch = Assert.Single(BatchLoader.Batches(set, 8, shuffleSeed: null));
        Assert.Equal((3, 3, 1), (batch.Count, batch.Channels, batch.ImageSize));
        Assert.Equal([0, 255, 51, 0, 255, 51, 0, 255, 51], batch.Pixels);
        Assert.Equal([1L, 0L, 1L], batch.Labels);

        foreach (var b in BatchLoader.Batches(Numbered(7), 2, shuffleSeed: 3))
            for (int i = 0; i < b.Count; i++)
                Assert.All(b.Pixels.AsSpan(i * 12, 12).ToArray(), p => Assert.Equal(b.Labels[i], p));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EachBatchNamesThePositionsOfItsImagesInTheSet(bool prefetch)
    {
        // Numbered sets have label i at position i, so the indices must equal the labels, in batch order.
        foreach (var b in BatchLoader.Batches(Numbered(11), 4, shuffleSeed: 9, prefetch: prefetch))
            Assert.Equal(b.Labels, b.Indices.Select(i => (long)i));
    }

    [Fact]
    public void NoSeedKeepsTheSetOrderForEvaluation()
        => Assert.Equal(Enumerable.Range(0, 9).Select(i => (long)i), Order(Numbered(9), 4, seed: null));

    [Theory]
    [InlineData(5)]
    [InlineData(null)]
    public void GatheringOnTheCallersThreadGivesTheSameBatchesAsPrefetching(int? seed)
    {
        var set = Numbered(23);
        var prefetched = BatchLoader.Batches(set, 4, seed, prefetch: true).ToList();
        var gathered = BatchLoader.Batches(set, 4, seed, prefetch: false).ToList();
        Assert.Equal(prefetched.Count, gathered.Count);
        for (int i = 0; i < prefetched.Count; i++)
        {
            Assert.Equal(prefetched[i].Labels, gathered[i].Labels);
            Assert.Equal(prefetched[i].Pixels, gathered[i].Pixels);
        }
    }

    [Fact]
    public void GatheringHonoursCancellation()
    {
        using var cts = new CancellationTokenSource();
        var batches = BatchLoader.Batches(Numbered(20), 4, 1, cts.Token, prefetch: false).GetEnumerator();
        Assert.True(batches.MoveNext());
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => batches.MoveNext());
    }

    [Fact]
    public void SameSeedGivesTheSameOrderAndAnotherSeedAnotherOrder()
    {
        var set = Numbered(50);
        Assert.Equal(Order(set, 8, 1), Order(set, 8, 1));
        Assert.NotEqual(Order(set, 8, 1), Order(set, 8, 2));
        Assert.NotEqual(Order(set, 8, BatchLoader.EpochSeed(42, 1)), Order(set, 8, BatchLoader.EpochSeed(42, 2)));
    }

    [Fact]
    public void BreakingOutEarlyStopsTheProducer()
    {
        int built = 0;
        foreach (var _ in BatchLoader.Batches(Numbered(200), 1, shuffleSeed: null, CancellationToken.None, n => Volatile.Write(ref built, n)))
            break;
        int atBreak = Volatile.Read(ref built);
        Thread.Sleep(200);
        Assert.Equal(atBreak, Volatile.Read(ref built));
        Assert.InRange(atBreak, 1, 4); // the one consumed, two prefetched, one blocked on the full queue
    }

    [Fact]
    public void AnExceptionInTheProducerSurfacesInTheConsumer()
    {
        var batches = BatchLoader.Batches(Numbered(20), 2, shuffleSeed: null, CancellationToken.None,
            n => { if (n == 3) throw new InvalidOperationException("broken batch"); });
        var seen = new List<Batch>();
        var error = Assert.Throws<InvalidOperationException>(() => { foreach (var b in batches) seen.Add(b); });
        Assert.Equal("broken batch", error.Message);
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public void CancellationEndsTheEnumeration()
    {
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in BatchLoader.Batches(Numbered(100), 1, shuffleSeed: null, cts.Token)) cts.Cancel();
        });
    }

    [Fact]
    public void EmptySetGivesNoBatchesAndBadBatchSizeIsRefused()
    {
        Assert.Empty(BatchLoader.Batches(Numbered(0), 4, shuffleSeed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchLoader.Batches(Numbered(3), 0, shuffleSeed: null));
    }
}
