using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using SixLabors.ImageSharp.PixelFormats;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data;

/// <summary>The reference lab's split of the photos, rebuilt from TFDS's source. Expected orders were computed
/// with Python's hashlib as TFDS does: sorted(keys, key=lambda k: int(md5(b"train" + k).hexdigest(), 16)).</summary>
public class TfdsSplitTests
{
    [Fact]
    public void RecordsAreOrderedByTheMd5OfTheSplitNameAndTheirArchivePath()
    {
        string[] keys = ["PetImages/Cat/0.jpg", "PetImages/Cat/1.jpg", "PetImages/Cat/10.jpg", "PetImages/Dog/0.jpg", "PetImages/Dog/1.jpg", "PetImages/Dog/12499.jpg"];
        var order = TfdsSplit.Order(keys).Select(i => keys[i]);
        Assert.Equal(["PetImages/Dog/0.jpg", "PetImages/Cat/10.jpg", "PetImages/Dog/12499.jpg", "PetImages/Cat/1.jpg", "PetImages/Dog/1.jpg", "PetImages/Cat/0.jpg"], order);
    }

    [Theory]
    [InlineData(23_262, 18_610, 2_326, 2_326)] // the lab's photos: 80 % is 18,609.6, 90 % is 20,935.8
    [InlineData(15, 12, 2, 1)]                 // 90 % of 15 is 13.5: Python rounds halves to even, 14
    [InlineData(5, 4, 0, 1)]                   // 90 % of 5 is 4.5: to even, 4
    public void PercentBoundariesRoundToTheClosestRecordHalvesToEven(int count, int train, int validation, int test) =>
        Assert.Equal((train, validation, test), TfdsSplit.Sizes(count));

    [Fact]
    public void APetImagesRunWithTheTfdsSplitTestsOnTheLastTenthInTfdsOrder()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 10; i++)
        {
            temp.Write($"cats/PetImages/Cat/{i}.jpg", Gray(10 + 10 * i));
            temp.Write($"cats/PetImages/Dog/{i}.jpg", Gray(130 + 10 * i));
        }
        var data = DataLoader.Load(new DataRequest($"petimages:{temp.Path}/cats", 8, null, 42, temp.Environment(), TfdsSplit: true), null, CancellationToken.None);
        // In TFDS order the last four are Dog/9, Cat/1 (validation) and Dog/1, Cat/0 (test).
        Assert.Equal((16, 2, 2), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal([220, 20], Centres(data.Validation));
        Assert.Equal([140, 10], Centres(data.Test));
        Assert.Equal([1, 0], data.Test.Labels);
    }

    [Theory]
    [InlineData("synthetic", null, "needs data petimages")]
    [InlineData("petimages", 1000, "leave the limit empty")]
    [InlineData("petimages", null, null)]
    public void TheTfdsSplitIsOfferedForTheWholePhotoSetOnly(string data, int? limit, string? error)
    {
        var problems = new LabConfig { Data = data, Limit = limit, Split = "tfds" }.Validate();
        if (error is null) Assert.Empty(problems);
        else Assert.Contains(error, Assert.Single(problems).Message);
        Assert.Contains("must be seeded or tfds", Assert.Single(new LabConfig { Split = "random" }.Validate()).Message);
    }

    private static byte[] Gray(int value) => TestImages.Jpeg(16, 16, new Rgb24((byte)value, (byte)value, (byte)value));

    // The centre pixel's red value, rounded to tens: JPEG moves a flat grey by a level or two.
    private static int[] Centres(ImageSet set) =>
        Enumerable.Range(0, set.Count).Select(i => (int)Math.Round(set.Image(i)[set.ImageSize * set.ImageSize / 2] / 10.0) * 10).ToArray();
}
