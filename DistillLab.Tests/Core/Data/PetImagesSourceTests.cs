using DistillLab.Core.Data;
using SixLabors.ImageSharp.PixelFormats;
using static DistillLab.Tests.Support.LoaderTestKit;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data;

public class PetImagesSourceTests
{
    private static readonly byte[] cat = TestImages.Jpeg(20, 15, new Rgb24(240, 20, 20));
    private static readonly byte[] dog = TestImages.Jpeg(15, 20, new Rgb24(20, 20, 240));

    /// <summary>The release's layout with every kind of file TFDS's filter and our decoder must drop.</summary>
    private static void WriteRelease(TempFolder temp, string petImages)
    {
        for (int i = 1; i <= 6; i++)
        {
            temp.Write($"{petImages}/Cat/{i}.jpg", cat);
            temp.Write($"{petImages}/Dog/{i}.jpg", dog);
        }
        temp.Write($"{petImages}/Cat/7.jpg", TestImages.JpegWithoutJfif(cat));  // decodable, but TFDS drops it
        temp.Write($"{petImages}/Cat/8.jpg", TestImages.Png(9, 9, new Rgb24(1, 2, 3)));
        temp.Write($"{petImages}/Cat/9.jpg", []);
        temp.Write($"{petImages}/Cat/10.jpg", "<html>not found</html>"u8.ToArray());
        temp.Write($"{petImages}/Cat/11.jpg", TestImages.TruncatedJpeg());       // has JFIF, cut short
        temp.Write($"{petImages}/Cat/12.jpg", TestImages.JpegWithJfifAt(cat, 508)); // JFIF ends at byte 512: kept
        temp.Write($"{petImages}/Cat/13.jpg", TestImages.JpegWithJfifAt(cat, 509)); // one byte too far: dropped
        temp.Write($"{petImages}/Cat/Thumbs.db", "thumbs"u8.ToArray());
        temp.Write($"{petImages}/Cat/cat.14.jpg", cat);
        temp.Write($"{petImages}/Dog/7.jpg", TestImages.CorruptJpeg());          // has JFIF, garbage inside
    }

    [Fact]
    public void TestImagesCarryTheJfifMarkerWhereTheFilterLooks()
    {
        Assert.InRange(cat.AsSpan().IndexOf("JFIF"u8), 0, 20);
        Assert.Equal(508, TestImages.JpegWithJfifAt(cat, 508).AsSpan().IndexOf("JFIF"u8));
        Assert.Equal(-1, TestImages.JpegWithoutJfif(cat).AsSpan().IndexOf("JFIF"u8));
    }

    [Fact]
    public void ReleaseIsFilteredAsTfdsDoesAndEverySkipIsCountedByReason()
    {
        using var temp = new TempFolder();
        WriteRelease(temp, "download/PetImages");
        var (data, _) = Load($"petimages:{temp.Path}/download", temp.Environment());
        Assert.Equal(["cat", "dog"], data.Classes);
        Assert.Equal(13, AllValues(data).Count);
        Assert.Equal(new Dictionary<string, int>
        {
            [SkipReasons.Corrupt] = 1,
            [SkipReasons.IgnoredName] = 2,
            [SkipReasons.NoJfifHeader] = 5,
            [SkipReasons.Truncated] = 1,
        }, data.Skipped);
        int plane = Size * Size;
        foreach (var set in new[] { data.Train, data.Validation, data.Test })
            for (int i = 0; i < set.Count; i++)
                Assert.Equal(set.Image(i)[2 * plane] > 128 ? 1 : 0, set.Labels[i]); // cat = 0 is red, dog = 1 is blue
        Assert.Equal((10, 1, 2), (data.Train.Count, data.Validation.Count, data.Test.Count));
    }

    [Fact]
    public void FolderHoldingCatAndDogDirectlyIsTakenAsPetImages()
    {
        using var temp = new TempFolder();
        WriteRelease(temp, "PetImagesRenamed");
        var (data, _) = Load($"petimages:{temp.Path}/PetImagesRenamed", temp.Environment());
        Assert.Equal(13, AllValues(data).Count);
    }

    [Fact]
    public void PetimagesWithoutAFolderReadsTheLabsDownloadFolder()
    {
        using var temp = new TempFolder();
        var environment = temp.Environment();
        WriteRelease(temp, Path.GetRelativePath(temp.Path, Path.Combine(environment.PetImagesDirectory, "PetImages")));
        var (data, _) = Load("petimages", environment);
        Assert.Equal(13, AllValues(data).Count);
    }

    [Fact]
    public void SameSeedGivesTheSameSplitWhateverOrderTheFilesWereWrittenIn()
    {
        using var temp = new TempFolder();
        WriteRelease(temp, "one/PetImages");
        foreach (var file in Directory.GetFiles(Path.Combine(temp.Path, "one"), "*", SearchOption.AllDirectories).OrderDescending())
            temp.Write(Path.Combine("two", Path.GetRelativePath(Path.Combine(temp.Path, "one"), file)), File.ReadAllBytes(file));
        var (one, _) = Load($"petimages:{temp.Path}/one", temp.Environment());
        var (two, _) = Load($"petimages:{temp.Path}/two", temp.Environment());
        AssertSameSplits(one, two);
        Assert.Equal(one.Skipped, two.Skipped);
    }

    [Fact]
    public void LimitTakesCatAndDogFilesInTurnAndCountsOnlyUsableImages()
    {
        using var temp = new TempFolder();
        WriteRelease(temp, "PetImages");
        // Cat order by path: 1, 10 (no JFIF), 11 (truncated), 12, 13 (no JFIF), 2, ...; Dog: 1, 2, ..., 6, 7 (corrupt).
        var (data, _) = Load($"petimages:{temp.Path}", temp.Environment(), limit: 10);
        var labels = data.Train.Labels.Concat(data.Validation.Labels).Concat(data.Test.Labels).ToList();
        Assert.Equal(10, labels.Count);
        Assert.Equal((4, 6), (labels.Count(l => l == 0), labels.Count(l => l == 1)));
        Assert.Equal(new Dictionary<string, int>
        {
            [SkipReasons.IgnoredName] = 2,
            [SkipReasons.NoJfifHeader] = 2,
            [SkipReasons.Truncated] = 1,
        }, data.Skipped);
    }
}
