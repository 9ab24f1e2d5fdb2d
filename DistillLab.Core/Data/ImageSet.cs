namespace DistillLab.Core.Data;

/// <summary>Decoded images of one split, kept compact as uint8 in NCHW order (C = 3, RGB).</summary>
/// <remarks>Pixels are converted to float and divided by 255 only when a batch is built,
/// so a 25,000-image set at 64 px stays at ~300 MB instead of ~1.2 GB. Images are stored in chunks
/// of whole images (at most 256 MiB each by default) because one .NET array cannot pass ~2 GiB,
/// and the Cats vs Dogs pool at 224 px is ~3.5 GB.</remarks>
public sealed class ImageSet
{
    /// <summary>The most bytes one chunk holds (unless a single image is larger): far below the 2 GiB array limit.</summary>
    internal const int DefaultChunkBytes = 256 << 20;

    // A chunk is allocated on first use, so a decoder can let go of its per-file buffers while the set fills.
    private readonly byte[]?[] chunks;
    private readonly int imagesPerChunk;
    private readonly int chunkBytes;

    /// <summary>A set over one buffer holding every image (not copied); for small sets such as tests and generated data.</summary>
    public ImageSet(byte[] pixels, int[] labels, int channels, int imageSize)
        : this(labels, channels, imageSize, DefaultChunkBytes, pixels)
    {
    }

    /// <summary>A zeroed set of <c>labels.Length</c> images, to be filled through <see cref="ImageForWrite"/>.</summary>
    /// <param name="chunkBytes">The most bytes per chunk; tests pass a few images' worth to get many chunks.</param>
    internal ImageSet(int[] labels, int channels, int imageSize, int chunkBytes = DefaultChunkBytes)
        : this(labels, channels, imageSize, chunkBytes, pixels: null)
    {
    }

    private ImageSet(int[] labels, int channels, int imageSize, int chunkBytes, byte[]? pixels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        long imageBytes = (long)channels * imageSize * imageSize;
        if (imageBytes > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(imageSize), $"One image of {channels}x{imageSize}x{imageSize} is more than an array can hold.");
        Labels = labels;
        Channels = channels;
        ImageSize = imageSize;
        ImageBytes = (int)imageBytes;
        this.chunkBytes = chunkBytes;
        if (pixels is null)
        {
            imagesPerChunk = (int)Math.Max(1, chunkBytes / imageBytes);
            chunks = new byte[]?[(labels.Length + imagesPerChunk - 1) / imagesPerChunk];
        }
        else
        {
            long expected = labels.Length * imageBytes;
            if (pixels.LongLength != expected)
                throw new ArgumentException($"Pixel buffer holds {pixels.LongLength} bytes; {labels.Length} images of {channels}x{imageSize}x{imageSize} need {expected}.", nameof(pixels));
            imagesPerChunk = Math.Max(1, labels.Length);
            chunks = labels.Length == 0 ? [] : [pixels];
        }
    }

    public int[] Labels { get; }
    public int Channels { get; }
    public int ImageSize { get; }
    public int Count => Labels.Length;
    public int ImageBytes { get; }

    /// <summary>The pixels of one image (C x H x W bytes).</summary>
    public ReadOnlySpan<byte> Image(int index) => ImageForWrite(index);

    /// <summary>Where a decoder writes one image; safe to call from several threads for different images.</summary>
    internal Span<byte> ImageForWrite(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), $"Image {index} of a set of {Count}.");
        return Chunk(index / imagesPerChunk).AsSpan(index % imagesPerChunk * ImageBytes, ImageBytes);
    }

    internal int ChunkCount => chunks.Length;

    /// <summary>Bytes in chunk <paramref name="chunk"/> (only the last one holds fewer images), without allocating it.</summary>
    internal int ChunkLength(int chunk) => Math.Min(imagesPerChunk, Count - chunk * imagesPerChunk) * ImageBytes;

    /// <summary>Chunk <paramref name="chunk"/>: whole images, in order, for bulk reads and writes such as the decode cache.</summary>
    internal Span<byte> ChunkForWrite(int chunk) => Chunk(chunk);

    internal ReadOnlySpan<byte> ChunkPixels(int chunk) => Chunk(chunk);

    private byte[] Chunk(int chunk)
        => chunks[chunk] ?? LazyInitializer.EnsureInitialized(ref chunks[chunk], () => new byte[ChunkLength(chunk)]);

    /// <summary>A new set holding the given images, in the given order.</summary>
    public ImageSet Select(IReadOnlyList<int> indices)
    {
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++) labels[i] = Labels[indices[i]];
        var selected = new ImageSet(labels, Channels, ImageSize, chunkBytes);
        for (int i = 0; i < indices.Count; i++)
            Image(indices[i]).CopyTo(selected.ImageForWrite(i));
        return selected;
    }
}
