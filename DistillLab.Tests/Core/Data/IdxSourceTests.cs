using DistillLab.Core.Data;
using static DistillLab.Tests.Support.LoaderTestKit;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data;

public class IdxSourceTests
{
    /// <summary>MNIST-shaped files with 4x4 images: train image i is flat grey 10*i with label i % 3.</summary>
    private static void WriteIdx(TempFolder temp, bool gzip, int train = 20, int test = 5, int trainLabels = -1,
        int imagesMagic = 2051, bool skipTestLabels = false)
    {
        byte[] Maybe(byte[] b) => gzip ? TestImages.Gzip(b) : b;
        string ext = gzip ? ".gz" : "";
        temp.Write($"mnist/train-images-idx3-ubyte{ext}", Maybe(TestImages.IdxImages(train, 4, 4, i => (byte)(10 * i), imagesMagic)));
        temp.Write($"mnist/train-labels-idx1-ubyte{ext}", Maybe(TestImages.IdxLabels(trainLabels < 0 ? train : trainLabels, i => (byte)(i % 3))));
        temp.Write($"mnist/t10k-images-idx3-ubyte{ext}", Maybe(TestImages.IdxImages(test, 4, 4, i => (byte)(200 + i))));
        if (!skipTestLabels)
            temp.Write($"mnist/t10k-labels-idx1-ubyte{ext}", Maybe(TestImages.IdxLabels(test, i => (byte)(i % 2))));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainPairIsThePoolWithItsLastTenthForValidationAndT10kIsTheTest(bool gzip)
    {
        using var temp = new TempFolder();
        WriteIdx(temp, gzip);
        var (data, _) = Load($"idx:{temp.Path}/mnist", temp.Environment());
        Assert.Equal(["0", "1", "2"], data.Classes);
        Assert.Equal(Enumerable.Range(0, 18).Select(i => (byte)(10 * i)), Values(data.Train));
        Assert.Equal([180, 190], Values(data.Validation));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (byte)(200 + i)), Values(data.Test));
        Assert.Equal(Enumerable.Range(0, 18).Select(i => i % 3), data.Train.Labels);
        Assert.Equal((3, Size), (data.Channels, data.ImageSize));
        // Grayscale is replicated to all three planes and a flat image stays flat through the resize.
        Assert.All(data.Train.Image(5).ToArray(), v => Assert.Equal(50, v));
    }

    [Fact]
    public void LimitCapsThePoolButNeverTheTestSet()
    {
        using var temp = new TempFolder();
        WriteIdx(temp, gzip: false);
        var (data, _) = Load($"idx:{temp.Path}/mnist", temp.Environment(), limit: 10);
        Assert.Equal((9, 1, 5), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal([90], Values(data.Validation));
    }

    [Fact]
    public void BadMagicNumberIsRefusedWithBothNumbers()
    {
        using var temp = new TempFolder();
        WriteIdx(temp, gzip: true, imagesMagic: 1234);
        var error = Assert.Throws<DataSourceException>(() => Load($"idx:{temp.Path}/mnist", temp.Environment()));
        Assert.Contains("magic number 1234; expected 2051", error.Message);
        Assert.Contains("train-images-idx3-ubyte.gz", error.Message);
    }

    [Fact]
    public void ImageAndLabelCountsThatDisagreeAreRefused()
    {
        using var temp = new TempFolder();
        WriteIdx(temp, gzip: false, trainLabels: 19);
        var error = Assert.Throws<DataSourceException>(() => Load($"idx:{temp.Path}/mnist", temp.Environment()));
        Assert.Contains("disagree: 20 images but 19 labels", error.Message);
    }

    [Fact]
    public void FileShorterThanItsHeaderDeclaresIsRefused()
    {
        using var temp = new TempFolder();
        WriteIdx(temp, gzip: false);
        string path = Path.Combine(temp.Path, "mnist/train-images-idx3-ubyte");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^5]);
        var error = Assert.Throws<DataSourceException>(() => Load($"idx:{temp.Path}/mnist", temp.Environment()));
        Assert.Contains("declares 20 images of 4x4", error.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        using var temp = new TempFolder();
        WriteIdx(temp, gzip: false, skipTestLabels: true);
        var error = Assert.Throws<DataSourceException>(() => Load($"idx:{temp.Path}/mnist", temp.Environment()));
        Assert.Contains("lacks t10k-labels-idx1-ubyte", error.Message);
    }

    [Fact]
    public void MissingFolderIsRefused()
    {
        using var temp = new TempFolder();
        var error = Assert.Throws<DataSourceException>(() => Load($"idx:{temp.Path}/nowhere", temp.Environment()));
        Assert.Contains("does not exist", error.Message);
    }

    /// <summary>A gzip of a valid header followed by <paramref name="zeros"/> zero bytes: tiny on disk, huge inflated.</summary>
    private static byte[] GzipBomb(byte[] header, long zeros)
    {
        using var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(header);
            var chunk = new byte[1 << 20];
            for (long left = zeros; left > 0; left -= chunk.Length) gzip.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
        }
        return packed.ToArray();
    }

    [Fact]
    public void AGzipThatInflatesPastItsDeclaredSizeStopsThereWithoutHoldingTheRest()
    {
        using var temp = new TempFolder();
        WriteIdx(temp, gzip: true);
        // 20 labels declared, 300 MB of zeros behind them (about 300 KB packed).
        byte[] header = TestImages.IdxLabels(20, i => (byte)(i % 3));
        temp.Write("mnist/train-labels-idx1-ubyte.gz", GzipBomb(header, 300L << 20));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataSourceException>(() => Load($"idx:{temp.Path}/mnist", temp.Environment()));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("declares 20 labels", error.Message);
        Assert.Contains("holds more", error.Message);
        Assert.True(allocated < 32L << 20, $"reading allocated {allocated:N0} bytes");
    }

    [Fact]
    public void AGzipOfZerosIsRefusedByItsHeaderBeforeItIsInflated()
    {
        using var temp = new TempFolder();
        WriteIdx(temp, gzip: true);
        temp.Write("mnist/train-images-idx3-ubyte.gz", GzipBomb([], 300L << 20));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataSourceException>(() => Load($"idx:{temp.Path}/mnist", temp.Environment()));
        Assert.Contains("magic number 0", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 32L << 20);
    }
}
