using DistillLab.Core.Data;
using static DistillLab.Tests.Support.LoaderTestKit;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data;

public class SplitAndLimitTests
{
    private static void WriteNumbered(TempFolder temp, string folder, bool reverse)
    {
        var files = Enumerable.Range(0, 30).Select(i => ($"{folder}/{(i < 15 ? "Cat" : "Dog")}/{i:D2}.png", (byte)(10 + i)));
        foreach (var (path, value) in reverse ? files.Reverse() : files) temp.Write(path, Valued(value));
    }

    [Theory]
    [InlineData(30, 24, 3, 3)]
    [InlineData(25, 20, 2, 3)]
    [InlineData(12, 9, 1, 2)]
    public void PoolIsSplitEightyTenRestWithFloors(int count, int train, int validation, int test)
    {
        var pool = new ImageSet(new byte[count * 3], new int[count], 3, 1);
        var (a, b, c) = PoolSplit.Split(pool, 42);
        Assert.Equal((train, validation, test), (a.Count, b.Count, c.Count));
    }

    [Fact]
    public void SameSeedGivesTheSameSplitAcrossRunsFoldersAndListingOrders()
    {
        using var temp = new TempFolder();
        WriteNumbered(temp, "forward", reverse: false);
        WriteNumbered(temp, "backward", reverse: true);
        var (first, _) = Load($"folder:{temp.Path}/forward", temp.Environment());
        var (again, _) = Load($"folder:{temp.Path}/forward", temp.Environment());
        var (otherOrder, _) = Load($"folder:{temp.Path}/backward", temp.Environment());
        Assert.Equal(AllValues(first), AllValues(again));
        Assert.Equal(AllValues(first), AllValues(otherOrder));
        Assert.Equal(first.Train.Labels, otherOrder.Train.Labels);
        Assert.Equal((24, 3, 3), (first.Train.Count, first.Validation.Count, first.Test.Count));
        Assert.Equal(Enumerable.Range(10, 30).Select(v => (byte)v), AllValues(first).Order());

        var (otherSeed, _) = Load($"folder:{temp.Path}/forward", temp.Environment(), seed: 7);
        Assert.NotEqual(AllValues(first), AllValues(otherSeed));
    }

    [Fact]
    public void LimitOfTenOnATwoClassFolderTakesFiveOfEach()
    {
        using var temp = new TempFolder();
        WriteNumbered(temp, "d", reverse: false);
        var (data, _) = Load($"folder:{temp.Path}/d", temp.Environment(), limit: 10);
        var labels = data.Train.Labels.Concat(data.Validation.Labels).Concat(data.Test.Labels).ToList();
        Assert.Equal((5, 5), (labels.Count(l => l == 0), labels.Count(l => l == 1)));
        Assert.Equal(new byte[] { 10, 11, 12, 13, 14, 25, 26, 27, 28, 29 }, AllValues(data).Order());
    }

    [Fact]
    public void LimitKeepsTheFirstUsableImagesWithClassesInTurnAndCountsOnlyTheSkipsAmongThem()
    {
        using var temp = new TempFolder();
        WriteNumbered(temp, "d", reverse: false);
        // Order: Cat/00, Dog/15, Cat/01, Dog/16, Cat/02, Dog/17, Cat/02x (empty: dropped, takes no image), Dog/18, Cat/03, ...
        temp.Write("d/Cat/02x.jpg", []);
        temp.Write("d/Dog/29x.jpg", "text"u8.ToArray()); // after the cut: never looked at
        var (data, _) = Load($"folder:{temp.Path}/d", temp.Environment(), limit: 12);
        Assert.Equal(new byte[] { 10, 11, 12, 13, 14, 15, 25, 26, 27, 28, 29, 30 }, AllValues(data).Order());
        Assert.Equal((9, 1, 2), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal(new Dictionary<string, int> { [SkipReasons.Empty] = 1 }, data.Skipped);
    }

    [Fact]
    public void WhenOneClassRunsOutTheOthersFillTheLimit()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 3; i++) temp.Write($"d/Cat/{i}.png", Valued((byte)(10 + i)));
        for (int i = 0; i < 12; i++) temp.Write($"d/Dog/{i:D2}.png", Valued((byte)(100 + i)));
        var (data, _) = Load($"folder:{temp.Path}/d", temp.Environment(), limit: 10);
        Assert.Equal(new byte[] { 10, 11, 12, 100, 101, 102, 103, 104, 105, 106 }, AllValues(data).Order());
    }

    [Fact]
    public void KaggleLayoutLimitAlsoTakesTheClassesInTurn()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 8; i++)
        {
            temp.Write($"train/cat.{i}.png", Valued((byte)(10 + i)));
            temp.Write($"train/dog.{i}.png", Valued((byte)(100 + i)));
        }
        var (data, _) = Load($"folder:{temp.Path}/train", temp.Environment(), limit: 10);
        Assert.Equal(new byte[] { 10, 11, 12, 13, 14, 100, 101, 102, 103, 104 }, AllValues(data).Order());
    }

    [Fact]
    public void SourceOrderIsClassesInTurnEachInPathOrderWithNameSkipsFirst()
    {
        SourceFile File(string path, int label, string? skip = null) => new(path, "/x/" + path, label, 1, 0, skip);
        var listed = new[]
        {
            File("Dog/2.jpg", 1), File("Cat/b.jpg", 0), File("Bird/1.jpg", 2), File("Cat/Thumbs.db", -1, SkipReasons.IgnoredName),
            File("Dog/10.jpg", 1), File("Cat/a.jpg", 0), File("Dog/1.jpg", 1), File("Cat/c.jpg", 0),
        };
        var ordered = SourceListing.Ordered(listed).Select(f => f.RelativePath);
        Assert.Equal(["Cat/Thumbs.db", "Cat/a.jpg", "Dog/1.jpg", "Bird/1.jpg", "Cat/b.jpg", "Dog/10.jpg", "Cat/c.jpg", "Dog/2.jpg"], ordered);
        Assert.Equal(ordered, SourceListing.Ordered(listed.Reverse()).Select(f => f.RelativePath));
    }

    [Fact]
    public void LimitAboveThePoolTakesEverything()
    {
        using var temp = new TempFolder();
        WriteNumbered(temp, "d", reverse: false);
        var (data, _) = Load($"folder:{temp.Path}/d", temp.Environment(), limit: 1000);
        Assert.Equal(30, AllValues(data).Count);
    }
}
