using DistillLab.Core.Data;
using SixLabors.ImageSharp.PixelFormats;
using static DistillLab.Tests.Support.LoaderTestKit;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data;

public class FolderSourceTests
{
    [Fact]
    public void ClassSubFoldersGiveOrdinallySortedClassNamesAndLabels()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 6; i++)
        {
            temp.Write($"images/dog/{i}.png", Valued((byte)(100 + i)));
            temp.Write($"images/Cat/{i}.png", Valued((byte)(10 + i)));
        }
        var (data, _) = Load($"folder:{temp.Path}/images", temp.Environment());
        Assert.Equal(["Cat", "dog"], data.Classes);
        Assert.Equal(12, data.Train.Count + data.Validation.Count + data.Test.Count);
        foreach (var set in new[] { data.Train, data.Validation, data.Test })
            for (int i = 0; i < set.Count; i++)
                Assert.Equal(set.Image(i)[0] >= 100 ? 1 : 0, set.Labels[i]);
        Assert.Empty(data.Skipped);
        Assert.Equal((3, Size), (data.Channels, data.ImageSize));
    }

    [Fact]
    public void KaggleCompetitionLayoutTakesTheLabelFromTheFileName()
    {
        using var temp = new TempFolder();
        for (int i = 1; i <= 6; i++)
        {
            temp.Write($"train/cat.{i}.jpg", TestImages.Jpeg(12, 10, new Rgb24(250, 0, 0)));
            temp.Write($"train/dog.{i}.jpg", TestImages.Jpeg(12, 10, new Rgb24(0, 0, 250)));
        }
        temp.Write("train/readme.txt", "not data"u8.ToArray());
        var (data, _) = Load($"folder:{temp.Path}/train", temp.Environment());
        Assert.Equal(["cat", "dog"], data.Classes);
        int plane = Size * Size;
        foreach (var set in new[] { data.Train, data.Validation, data.Test })
            for (int i = 0; i < set.Count; i++)
                Assert.Equal(set.Image(i)[2 * plane] > 128 ? 1 : 0, set.Labels[i]); // blue plane says dog
        Assert.Equal(12, data.Train.Count + data.Validation.Count + data.Test.Count);
        Assert.Equal(1, data.Skipped[SkipReasons.NotAnImage]);
    }

    [Fact]
    public void EverySkipReasonIsCountedExactlyAndNothingCrashes()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 10; i++)
        {
            temp.Write($"d/Cat/good{i}.jpg", TestImages.Jpeg(20, 16, new Rgb24(200, 10, 10)));
            temp.Write($"d/Dog/good{i}.png", Valued(200));
        }
        temp.Write("d/Cat/empty.jpg", []);
        temp.Write("d/Cat/notes.jpg", "a text file named like a picture"u8.ToArray());
        temp.Write("d/Cat/cut.jpg", TestImages.TruncatedJpeg());
        temp.Write("d/Dog/cut.png", Valued(3)[..^20]);
        temp.Write("d/Cat/garbled.jpg", TestImages.CorruptJpeg());
        temp.Write("d/Dog/old.bmp", TestImages.Bmp(5, 5));
        temp.Write("d/Dog/huge.png", TestImages.PngDeclaring(20_000, 20_000));

        var (data, _) = Load($"folder:{temp.Path}/d", temp.Environment());
        Assert.Equal(20, data.Train.Count + data.Validation.Count + data.Test.Count);
        Assert.Equal(new Dictionary<string, int>
        {
            [SkipReasons.Corrupt] = 1,
            [SkipReasons.Empty] = 1,
            [SkipReasons.NotAnImage] = 1,
            [SkipReasons.TooLarge] = 1,
            [SkipReasons.Truncated] = 2,
            [SkipReasons.UnsupportedFormat] = 1,
        }, data.Skipped);
    }

    [Fact]
    public void DecodeProgressIsReportedAndEndsAtTheTotal()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 30; i++) temp.Write($"d/{(i % 2 == 0 ? "a" : "b")}/{i}.png", Valued((byte)i));
        var (_, progress) = Load($"folder:{temp.Path}/d", temp.Environment());
        var decode = progress.Where(p => p.Stage == "decode").ToList();
        Assert.NotEmpty(decode);
        Assert.Equal((30, 30), (decode[^1].Done, decode[^1].Total));
        Assert.True(decode.Zip(decode.Skip(1)).All(p => p.First.Done < p.Second.Done), "progress went backwards");
    }
}
