using DistillLab.Core.Data;
using DistillLab.Core.Experiments;

namespace DistillLab.Tests.Support;

/// <summary>Loading helpers shared by the data tests: identifiable images and progress capture.</summary>
internal static class LoaderTestKit
{
    public const int Size = 8;

    /// <summary>A lossless flat grey image whose value names it once decoded.</summary>
    public static byte[] Valued(byte value) => TestImages.GrayPng(6, 6, value);

    public static (LabData Data, List<DataProgress> Progress) Load(string source, LabEnvironment environment, int? limit = null, int seed = 42)
    {
        var progress = new List<DataProgress>();
        var data = DataLoader.Load(new DataRequest(source, Size, limit, seed, environment), p => { lock (progress) progress.Add(p); }, CancellationToken.None);
        return (data, progress);
    }

    /// <summary>The value of each image (its first byte), in set order.</summary>
    public static List<byte> Values(ImageSet set) => Enumerable.Range(0, set.Count).Select(i => set.Image(i)[0]).ToList();

    public static List<byte> AllValues(LabData data) => [.. Values(data.Train), .. Values(data.Validation), .. Values(data.Test)];

    /// <summary>Same labels and the same pixels, image by image, however each set is chunked.</summary>
    public static void AssertSameImages(ImageSet expected, ImageSet actual)
    {
        Assert.Equal((expected.Count, expected.Channels, expected.ImageSize), (actual.Count, actual.Channels, actual.ImageSize));
        Assert.Equal(expected.Labels, actual.Labels);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(expected.Image(i).SequenceEqual(actual.Image(i)), $"image {i} differs");
    }

    public static void AssertSameSplits(LabData expected, LabData actual)
    {
        AssertSameImages(expected.Train, actual.Train);
        AssertSameImages(expected.Validation, actual.Validation);
        AssertSameImages(expected.Test, actual.Test);
    }

    public static bool Decoded(List<DataProgress> progress) => progress.Any(p => p.Stage == "decode");
    public static bool FromCache(List<DataProgress> progress) => progress.Any(p => p.Stage == "cache");
}
