namespace DistillLab.Core.Data;

// TEMPORARY minimal loader so the trainer can be tested; replaced by the data branch's version.
public sealed record Batch(float[] Pixels, long[] Labels, int Count, int Channels, int ImageSize);

public static class BatchLoader
{
    public static IEnumerable<Batch> Batches(ImageSet set, int batchSize, int? shuffleSeed, CancellationToken ct = default)
    {
        var order = Enumerable.Range(0, set.Count).ToArray();
        if (shuffleSeed is { } seed) new Random(seed).Shuffle(order);
        for (int start = 0; start < order.Length; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            int count = Math.Min(batchSize, order.Length - start);
            var pixels = new float[count * set.ImageBytes];
            var labels = new long[count];
            for (int i = 0; i < count; i++)
            {
                var image = set.Image(order[start + i]);
                for (int p = 0; p < image.Length; p++) pixels[i * set.ImageBytes + p] = image[p] / 255f;
                labels[i] = set.Labels[order[start + i]];
            }
            yield return new Batch(pixels, labels, count, set.Channels, set.ImageSize);
        }
    }
}
