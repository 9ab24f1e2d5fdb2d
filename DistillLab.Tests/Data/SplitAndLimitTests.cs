using DistillLab.Core.Data;
using static DistillLab.Tests.Data.LoaderTestKit;

namespace DistillLab.Tests.Data;

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
    public void LimitKeepsTheFirstUsableImagesInPathOrderAndCountsOnlyTheSkipsAmongThem()
    {
        using var temp = new TempFolder();
        WriteNumbered(temp, "d", reverse: false);
        temp.Write("d/Cat/05x.jpg", []);               // sorts between 05.png and 06.png: inside the first 12
        temp.Write("d/Dog/29x.jpg", "text"u8.ToArray()); // after the cut: never looked at
        var (data, _) = Load($"folder:{temp.Path}/d", temp.Environment(), limit: 12);
        Assert.Equal(Enumerable.Range(10, 12).Select(v => (byte)v), AllValues(data).Order());
        Assert.Equal((9, 1, 2), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal(new Dictionary<string, int> { [SkipReasons.Empty] = 1 }, data.Skipped);
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
