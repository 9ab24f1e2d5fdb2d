using DistillLab.Core.Data;
using static DistillLab.Tests.Support.LoaderTestKit;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data;

public class DecodeCacheTests
{
    private static string Source(TempFolder temp) => $"folder:{temp.Path}/d";

    private static TempFolder WithImages(int count = 20)
    {
        var temp = new TempFolder();
        for (int i = 0; i < count; i++) temp.Write($"d/{(i % 2 == 0 ? "a" : "b")}/{i:D2}.png", Valued((byte)(10 + i)));
        temp.Write("d/a/zz.jpg", []);
        return temp;
    }

    private static string CacheFile(TempFolder temp)
        => Assert.Single(Directory.GetFiles(temp.Environment().CacheDirectory, "*.dlcache"));

    private static void AssertSame(LabData expected, LabData actual)
    {
        Assert.Equal(expected.Classes, actual.Classes);
        Assert.Equal(expected.Skipped, actual.Skipped);
        AssertSameSplits(expected, actual);
    }

    [Fact]
    public void SecondLoadReadsTheCacheInsteadOfDecodingAndGivesTheSameData()
    {
        using var temp = WithImages();
        var (first, firstProgress) = Load(Source(temp), temp.Environment());
        var (second, secondProgress) = Load(Source(temp), temp.Environment());
        Assert.True(Decoded(firstProgress) && !FromCache(firstProgress));
        Assert.True(FromCache(secondProgress) && !Decoded(secondProgress));
        AssertSame(first, second);
        Assert.Empty(Directory.GetFiles(temp.Environment().CacheDirectory, "*.tmp"));
    }

    [Fact]
    public void ChangingAFileRebuildsTheCache()
    {
        using var temp = WithImages();
        Load(Source(temp), temp.Environment());
        string changed = Path.Combine(temp.Path, "d/a/00.png");
        File.WriteAllBytes(changed, Valued(250));
        File.SetLastWriteTimeUtc(changed, DateTime.UtcNow.AddMinutes(5));
        var (data, progress) = Load(Source(temp), temp.Environment());
        Assert.True(Decoded(progress));
        Assert.Contains((byte)250, AllValues(data));
        Assert.True(FromCache(Load(Source(temp), temp.Environment()).Progress));
    }

    [Fact]
    public void AddingAFileRebuildsTheCache()
    {
        using var temp = WithImages();
        Load(Source(temp), temp.Environment());
        temp.Write("d/b/new.png", Valued(240));
        var (data, progress) = Load(Source(temp), temp.Environment());
        Assert.True(Decoded(progress));
        Assert.Equal(21, AllValues(data).Count);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("foreign")]
    [InlineData("flipped-pixel")]
    [InlineData("empty")]
    public void DamagedCacheFileIsIgnoredAndRebuilt(string damage)
    {
        using var temp = WithImages();
        var (expected, _) = Load(Source(temp), temp.Environment());
        string cache = CacheFile(temp);
        byte[] bytes = File.ReadAllBytes(cache);
        byte[] damaged = damage switch
        {
            "truncated" => bytes[..(bytes.Length / 2)],
            "foreign" => Enumerable.Range(0, bytes.Length).Select(i => (byte)(i * 7)).ToArray(),
            "flipped-pixel" => bytes.Select((b, i) => i == bytes.Length - 100 ? (byte)(b ^ 1) : b).ToArray(),
            _ => [],
        };
        File.WriteAllBytes(cache, damaged);

        var (rebuilt, progress) = Load(Source(temp), temp.Environment());
        Assert.True(Decoded(progress) && !FromCache(progress));
        AssertSame(expected, rebuilt);
        Assert.True(FromCache(Load(Source(temp), temp.Environment()).Progress));
    }

    [Fact]
    public void CacheOfTheWholeSourceServesALimitedLoadExactlyLikeAFreshDecode()
    {
        using var temp = WithImages();
        using var other = new TempFolder();
        Load(Source(temp), temp.Environment());
        var (cached, progress) = Load(Source(temp), temp.Environment(), limit: 12);
        var (fresh, freshProgress) = Load(Source(temp), other.Environment(), limit: 12);
        Assert.True(FromCache(progress));
        Assert.True(Decoded(freshProgress));
        AssertSame(fresh, cached);
    }

    [Fact]
    public void CacheOfALimitedLoadIsNotTrustedForTheWholeSource()
    {
        using var temp = WithImages(40);
        Load(Source(temp), temp.Environment(), limit: 10);
        var (whole, progress) = Load(Source(temp), temp.Environment());
        Assert.True(Decoded(progress));
        Assert.Equal(40, AllValues(whole).Count);
    }

    [Fact]
    public void EachImageSizeHasItsOwnCacheFile()
    {
        using var temp = WithImages();
        Load(Source(temp), temp.Environment());
        var data = DataLoader.Load(new DataRequest(Source(temp), 5, null, 42, temp.Environment()), null, CancellationToken.None);
        Assert.Equal(5, data.ImageSize);
        Assert.Equal(2, Directory.GetFiles(temp.Environment().CacheDirectory, "*.dlcache").Length);
    }
}

public class DataLoaderRobustnessTests
{
    [Fact]
    public void CacheThatCannotBeWrittenDoesNotFailTheLoad()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 12; i++) temp.Write($"d/{(i % 2 == 0 ? "a" : "b")}/{i}.png", Valued((byte)i));
        var environment = temp.Environment();
        Directory.CreateDirectory(environment.DataDirectory);
        File.WriteAllText(environment.CacheDirectory, "a file where the cache folder should be");
        var (data, progress) = Load($"folder:{temp.Path}/d", environment);
        Assert.Equal(12, AllValues(data).Count);
        Assert.True(Decoded(Load($"folder:{temp.Path}/d", environment).Progress));
    }

    [Fact]
    public void CancelledLoadStopsWithOperationCanceled()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 12; i++) temp.Write($"d/{(i % 2 == 0 ? "a" : "b")}/{i}.png", Valued((byte)i));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            DataLoader.Load(new DataRequest($"folder:{temp.Path}/d", Size, null, 1, temp.Environment()), null, cts.Token));
    }

    [Fact]
    public void ProgressTotalsAreNeverZero()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 12; i++) temp.Write($"d/{(i % 2 == 0 ? "a" : "b")}/{i}.png", Valued((byte)i));
        var (_, first) = Load($"folder:{temp.Path}/d", temp.Environment());
        var (_, second) = Load($"folder:{temp.Path}/d", temp.Environment());
        Assert.All(first.Concat(second), p => Assert.InRange(p.Done, 0, p.Total));
        Assert.All(first.Concat(second), p => Assert.True(p.Total > 0, p.ToString()));
    }
}

public class ConcurrentLoadTests
{
    [Fact]
    public void TwoRunsLoadingTheSameSourceAtOnceBothSucceedAndLeaveOneValidCache()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 40; i++) temp.Write($"d/{(i % 2 == 0 ? "a" : "b")}/{i}.png", Valued((byte)i));
        var loads = Enumerable.Range(0, 2)
            .Select(_ => Task.Run(() => Load($"folder:{temp.Path}/d", temp.Environment()).Data))
            .ToArray();
        Task.WaitAll(loads);
        Assert.Equal(AllValues(loads[0].Result), AllValues(loads[1].Result));
        var cacheDir = temp.Environment().CacheDirectory;
        Assert.Single(Directory.GetFiles(cacheDir, "*.dlcache"));
        Assert.Empty(Directory.GetFiles(cacheDir, "*.tmp"));
        Assert.True(FromCache(Load($"folder:{temp.Path}/d", temp.Environment()).Progress));
    }
}
