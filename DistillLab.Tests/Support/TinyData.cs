using DistillLab.Core.Data;

namespace DistillLab.Tests.Support;

/// <summary>Small in-memory data sets a CNN can learn in one epoch: class 1 has a bright square, class 0 a dark one.</summary>
internal static class TinyData
{
    public static ImageSet Images(int count, int size, int seed)
    {
        var random = new Random(seed);
        int bytes = 3 * size * size;
        var pixels = new byte[count * bytes];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 2;
            random.NextBytes(pixels.AsSpan(i * bytes, bytes));
            int x0 = random.Next(size / 2), y0 = random.Next(size / 2);
            for (int c = 0; c < 3; c++)
                for (int y = y0; y < y0 + size / 3; y++)
                    for (int x = x0; x < x0 + size / 3; x++)
                        pixels[i * bytes + c * size * size + y * size + x] = labels[i] == 1 ? (byte)255 : (byte)0;
        }
        return new ImageSet(pixels, labels, 3, size);
    }

    public static LabData Lab(int train = 64, int size = 48, int seed = 1) => new(
        "tiny", ["dark", "bright"],
        Images(train, size, seed), Images(16, size, seed + 1), Images(16, size, seed + 2),
        new Dictionary<string, int>());
}
