using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using static DistillLab.Tests.Support.LoaderTestKit;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data;

public class ImageSetTests
{
    /// <summary>Seven 1x1 RGB images (3 bytes each) in chunks of 7 bytes, i.e. two images per chunk: 4 chunks.</summary>
    private static ImageSet Chunked(int count = 7, int chunkBytes = 7)
    {
        var set = new ImageSet(Enumerable.Range(0, count).Select(i => i % 2).ToArray(), 3, 1, chunkBytes);
        for (int i = 0; i < count; i++) set.ImageForWrite(i).Fill((byte)(10 + i));
        return set;
    }

    [Fact]
    public void ImagesAreReadBackAcrossChunkBoundaries()
    {
        var set = Chunked();
        Assert.Equal(4, set.ChunkCount);
        Assert.Equal([6, 6, 6, 3], Enumerable.Range(0, set.ChunkCount).Select(set.ChunkLength));
        for (int i = 0; i < set.Count; i++)
            Assert.Equal([(byte)(10 + i), (byte)(10 + i), (byte)(10 + i)], set.Image(i).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Image(7).Length);
    }

    [Fact]
    public void SelectCopiesTheChosenImagesInOrderAndKeepsTheChunkSize()
    {
        var selected = Chunked().Select([6, 0, 3, 3, 5]);
        Assert.Equal(new byte[] { 16, 10, 13, 13, 15 }, Values(selected));
        Assert.Equal([0, 0, 1, 1, 1], selected.Labels);
        Assert.Equal(3, selected.ChunkCount);
    }

    [Fact]
    public void OneBufferSetReadsAndSelectsLikeAChunkedOne()
    {
        var chunked = Chunked();
        var flat = new ImageSet(Enumerable.Range(0, 7).SelectMany(i => Enumerable.Repeat((byte)(10 + i), 3)).ToArray(),
            chunked.Labels, 3, 1);
        Assert.Equal(1, flat.ChunkCount);
        AssertSameImages(chunked, flat);
        AssertSameImages(chunked.Select([4, 1, 2]), flat.Select([4, 1, 2]));
        Assert.Throws<ArgumentException>(() => new ImageSet(new byte[20], new int[7], 3, 1));
    }

    [Fact]
    public void ImageLargerThanTheChunkSizeGetsAChunkOfItsOwn()
    {
        var set = Chunked(count: 3, chunkBytes: 2);
        Assert.Equal(3, set.ChunkCount);
        Assert.Equal(new byte[] { 10, 11, 12 }, Values(set));
    }

    [Fact]
    public void PoolOfTheWholeCatsVsDogsReleaseAt224PixelsFitsInChunksFarBelowTheArrayLimit()
    {
        // Chunks are allocated on first use, so this set of ~3.2 GB costs nothing until it is written.
        const int images = 21_397; // 12 full chunks of 1,783 images and one of a single image
        var set = new ImageSet(new int[images], 3, 224);
        Assert.Equal(150_528, set.ImageBytes);
        Assert.Equal(13, set.ChunkCount);
        Assert.All(Enumerable.Range(0, set.ChunkCount), c => Assert.InRange(set.ChunkLength(c), 1, ImageSet.DefaultChunkBytes));
        Assert.Equal((long)images * set.ImageBytes, Enumerable.Range(0, set.ChunkCount).Sum(c => (long)set.ChunkLength(c)));
        set.ImageForWrite(images - 1)[^1] = 7; // touches only the last, one-image chunk
        Assert.Equal(7, set.Image(images - 1)[^1]);
    }
}

public class ChunkedLoadTests
{
    private const int ImageBytes = 3 * Size * Size;

    private static LabData LoadChunked(string source, LabEnvironment environment, int? limit = null)
        => DataLoader.Load(new DataRequest(source, Size, limit, 42, environment), null, CancellationToken.None, chunkBytes: 5 * ImageBytes);

    [Fact]
    public void ManySmallChunksDecodeSplitAndRoundTripTheCacheLikeOneBuffer()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 37; i++) temp.Write($"d/{(i % 3 == 0 ? "a" : "b")}/{i:D2}.png", Valued((byte)(10 + i)));
        temp.Write("d/a/bad.png", []);
        using var other = new TempFolder();
        string source = $"folder:{temp.Path}/d";
        var (reference, _) = Load(source, other.Environment());

        var decoded = LoadChunked(source, temp.Environment());
        Assert.True(decoded.Train.ChunkCount >= 5, $"train has {decoded.Train.ChunkCount} chunks");
        AssertSameSplits(reference, decoded);

        var progress = new List<DataProgress>();
        var cached = DataLoader.Load(new DataRequest(source, Size, null, 42, temp.Environment()), progress.Add, CancellationToken.None, 5 * ImageBytes);
        Assert.True(FromCache(progress) && !Decoded(progress));
        AssertSameSplits(reference, cached);

        // A cache written from small chunks reads back into the default chunking, and the other way round.
        var (defaultChunks, defaultProgress) = Load(source, temp.Environment());
        Assert.True(FromCache(defaultProgress));
        AssertSameSplits(reference, defaultChunks);
        AssertSameSplits(reference, LoadChunked(source, other.Environment()));
        var (limited, _) = Load(source, other.Environment(), limit: 12);
        AssertSameSplits(limited, LoadChunked(source, temp.Environment(), limit: 12));
    }
}
