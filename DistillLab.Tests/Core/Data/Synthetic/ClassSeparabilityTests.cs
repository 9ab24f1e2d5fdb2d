using DistillLab.Core.Data;
using DistillLab.Core.Data.Synthetic;
using Xunit.Abstractions;

namespace DistillLab.Tests.Core.Data.Synthetic;

/// <summary>Colour and brightness must not give the class away: a model has to learn shapes.</summary>
public class ClassSeparabilityTests(ITestOutputHelper output)
{
    private static readonly Lazy<ImageSet> Set = new(() => SyntheticCatsDogs.Generate(2000, 64, seed: 42));

    /// <summary>Within 5 of 255 levels per channel: far less than the spread between pictures of one class.</summary>
    [Fact]
    public void MeanColourOfCatsAndDogsIsClose()
    {
        var set = Set.Value;
        var gaps = new List<string>();
        for (int channel = 0; channel < 3; channel++)
        {
            double cats = ClassMean(set, 0, i => PixelStats.ChannelMean(set, i, channel));
            double dogs = ClassMean(set, 1, i => PixelStats.ChannelMean(set, i, channel));
            output.WriteLine($"channel {channel}: cats {cats:F1}, dogs {dogs:F1}");
            if (Math.Abs(cats - dogs) >= 5) gaps.Add($"channel {channel}: mean {cats:F1} for cats, {dogs:F1} for dogs");
        }
        Assert.Empty(gaps);
    }

    [Theory]
    [InlineData("red")]
    [InlineData("green")]
    [InlineData("blue")]
    [InlineData("brightness")]
    [InlineData("contrast")]
    [InlineData("centre brightness")]
    public void NoSinglePictureStatisticSeparatesTheClasses(string statistic)
    {
        var set = Set.Value;
        Func<int, double> measure = statistic switch
        {
            "red" => i => PixelStats.ChannelMean(set, i, 0),
            "green" => i => PixelStats.ChannelMean(set, i, 1),
            "blue" => i => PixelStats.ChannelMean(set, i, 2),
            "brightness" => i => PixelStats.Mean(set.Image(i)),
            "contrast" => i => PixelStats.StandardDeviation(set.Image(i)),
            _ => i => PixelStats.CentreMean(set, i),
        };

        double accuracy = PixelStats.BestThresholdAccuracy(Enumerable.Range(0, set.Count).Select(measure).ToArray(), set.Labels);

        output.WriteLine($"{statistic}: best threshold accuracy {accuracy:P1}");
        Assert.True(accuracy < 0.60, $"thresholding {statistic} alone tells cat from dog {accuracy:P1} of the time");
    }

    private static double ClassMean(ImageSet set, int label, Func<int, double> measure)
        => Enumerable.Range(0, set.Count).Where(i => set.Labels[i] == label).Average(measure);
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

    /// <summary>Mean of all channels over the middle half of the picture, where the faces mostly are.</summary>
    public static double CentreMean(ImageSet set, int index)
    {
        int n = set.ImageSize, plane = n * n;
        var image = set.Image(index);
        long sum = 0, count = 0;
        for (int c = 0; c < 3; c++)
            for (int y = n / 4; y < 3 * n / 4; y++)
                for (int x = n / 4; x < 3 * n / 4; x++, count++)
                    sum += image[c * plane + y * n + x];
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
