using DistillLab.Core.Data;
using DistillLab.Core.Data.Synthetic;
using Xunit.Abstractions;

namespace DistillLab.Tests.Core.Data.Synthetic;

/// <summary>Only the scene (indoors or outdoors) leans towards the class, and only as far as designed: the faces' colours
/// and the picture's brightness and contrast must not give the class away, so a model has to learn shapes to go past the
/// scene's 3 in 4.</summary>
public class ClassSeparabilityTests(ITestOutputHelper output)
{
    private static readonly Lazy<ImageSet> Set = new(() => SyntheticCatsDogs.Generate(2000, 64, seed: 42));

    [Theory]
    [InlineData("brightness")]
    [InlineData("contrast")]
    [InlineData("centre brightness")]
    [InlineData("centre red")]
    public void NoBrightnessOrFaceColourStatisticSeparatesTheClasses(string statistic)
    {
        var set = Set.Value;
        Func<int, double> measure = statistic switch
        {
            "brightness" => i => PixelStats.Mean(set.Image(i)),
            "contrast" => i => PixelStats.StandardDeviation(set.Image(i)),
            "centre red" => i => PixelStats.CentreMean(set, i, channel: 0),
            _ => i => PixelStats.CentreMean(set, i),
        };

        double accuracy = PixelStats.BestThresholdAccuracy(Enumerable.Range(0, set.Count).Select(measure).ToArray(), set.Labels);

        output.WriteLine($"{statistic}: best threshold accuracy {accuracy:P1}");
        Assert.True(accuracy < 0.60, $"thresholding {statistic} alone tells cat from dog {accuracy:P1} of the time");
    }

    /// <summary>The border is mostly background. Outdoor colours are greener and bluer than indoor ones, so green + blue -
    /// 2 red on the border reads the scene; the scene is the class's usual one 3 times in 4, so no threshold on it can do
    /// much better than 75 %, and it should come close: the cue is there, and it is only a cue.</summary>
    [Fact]
    public void TheSceneAloneTellsTheClassesApartAboutThreeTimesInFour()
    {
        var set = Set.Value;
        double[] coolness = Enumerable.Range(0, set.Count)
            .Select(i => PixelStats.BorderMean(set, i, 1) + PixelStats.BorderMean(set, i, 2) - 2 * PixelStats.BorderMean(set, i, 0))
            .ToArray();

        double accuracy = PixelStats.BestThresholdAccuracy(coolness, set.Labels);

        output.WriteLine($"border green + blue - 2 red: best threshold accuracy {accuracy:P1}");
        Assert.InRange(accuracy, 0.65, 0.78);
    }
}

internal static class PixelStats
{
    public static double Mean(ReadOnlySpan<byte> pixels)
    {
        long sum = 0;
        foreach (byte p in pixels) sum += p;
        return sum / (double)pixels.Length;
    }

    public static double StandardDeviation(ReadOnlySpan<byte> pixels)
    {
        double mean = Mean(pixels), sum = 0;
        foreach (byte p in pixels) sum += (p - mean) * (p - mean);
        return Math.Sqrt(sum / pixels.Length);
    }

    public static double ChannelMean(ImageSet set, int index, int channel)
    {
        int plane = set.ImageSize * set.ImageSize;
        return Mean(set.Image(index).Slice(channel * plane, plane));
    }

    /// <summary>Mean of all channels (or of one) over the middle half of the picture, where the faces mostly are.</summary>
    public static double CentreMean(ImageSet set, int index, int? channel = null)
    {
        int n = set.ImageSize, plane = n * n;
        var image = set.Image(index);
        long sum = 0, count = 0;
        for (int c = channel ?? 0; c <= (channel ?? 2); c++)
            for (int y = n / 4; y < 3 * n / 4; y++)
                for (int x = n / 4; x < 3 * n / 4; x++, count++)
                    sum += image[c * plane + y * n + x];
        return sum / (double)count;
    }

    /// <summary>Mean of one channel over the picture's outer eighth on every side, mostly background.</summary>
    public static double BorderMean(ImageSet set, int index, int channel)
    {
        int n = set.ImageSize, plane = n * n, edge = n / 8;
        var image = set.Image(index);
        long sum = 0, count = 0;
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
                if (x < edge || y < edge || x >= n - edge || y >= n - edge)
                {
                    sum += image[channel * plane + y * n + x];
                    count++;
                }
        return sum / (double)count;
    }

    /// <summary>The best accuracy any single threshold on <paramref name="values"/> reaches, in either direction.</summary>
    public static double BestThresholdAccuracy(double[] values, int[] labels)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        int positives = labels.Count(l => l == 1), n = values.Length;
        int dogsBelow = 0, catsBelow = 0;
        double best = Math.Max(positives, n - positives) / (double)n;
        foreach (int i in order)
        {
            if (labels[i] == 1) dogsBelow++; else catsBelow++;
            // "dog above the threshold" is right for the cats below it and the dogs above it; the other way round too.
            double above = (catsBelow + (positives - dogsBelow)) / (double)n;
            best = Math.Max(best, Math.Max(above, 1 - above));
        }
        return best;
    }
}
