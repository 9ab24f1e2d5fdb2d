using System.Buffers.Binary;
using System.Text;

namespace DistillLab.Core.Data;

/// <summary>Decoded, resized images of one file source at one size, kept on disk so later runs skip decoding.</summary>
/// <remarks>
/// Layout (little-endian): "DLCACHE\0", int32 header length, header, pixels (uint8, NCHW), uint64 checksum of
/// the header chained image by image over the pixels, "DLCEND\0\0". The pixels are one block on disk, read and
/// written chunk by chunk, so the file does not depend on how an <see cref="ImageSet"/> is chunked in memory. Header: int32 version, key (source root, filter, size), 32-byte source
/// fingerprint, channels, size, class names, per-file outcomes, complete flag, labels of the usable images.
/// Anything that does not match exactly - magic, version, key, fingerprint, lengths, checksum - makes the
/// file count as absent, so a killed writer or a foreign file is rebuilt, never trusted.
/// </remarks>
internal static class DecodeCache
{
    private const int Version = 2;
    private static readonly byte[] startMagic = "DLCACHE\0"u8.ToArray();
    private static readonly byte[] endMagic = "DLCEND\0\0"u8.ToArray();

    public static string PathFor(string cacheDirectory, SourceListing listing, int imageSize, ResizeMethod resize)
        => Path.Combine(cacheDirectory, SourceFingerprint.CacheKey(listing, imageSize) + (resize == ResizeMethod.Smooth ? "" : "-lab") + ".dlcache");

    // Smooth was the only method before the lab's resize existed: its key is unchanged, so those caches stay valid.
    private static string KeyText(SourceListing listing, int imageSize, ResizeMethod resize) =>
        $"{listing.Filter}\n{listing.Root}\n{imageSize}" + (resize == ResizeMethod.Smooth ? "" : "\nresize=lab");

    /// <summary>The cached pool, or null when the file is missing, stale, foreign or damaged.</summary>
    public static DecodedPool? TryRead(string path, SourceListing listing, byte[] fingerprint, int imageSize, ResizeMethod resize,
        int chunkBytes = ImageSet.DefaultChunkBytes)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return Read(stream, KeyText(listing, imageSize, resize), fingerprint, listing.Classes, imageSize, chunkBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException
                                      or ArgumentException or OverflowException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static DecodedPool? Read(FileStream stream, string key, byte[] fingerprint, IReadOnlyList<string> classes, int imageSize, int chunkBytes)
    {
        long length = stream.Length;
        var start = new byte[12];
        if (length < start.Length + endMagic.Length + 8) return null;
        stream.ReadExactly(start);
        if (!start.AsSpan(0, 8).SequenceEqual(startMagic)) return null;
        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(start.AsSpan(8));
        if (headerLength <= 0 || headerLength > length - start.Length) return null;
        var header = new byte[headerLength];
        stream.ReadExactly(header);

        using var reader = new BinaryReader(new MemoryStream(header), Encoding.UTF8);
        if (reader.ReadInt32() != Version) return null;
        if (reader.ReadString() != key) return null;
        if (!reader.ReadBytes(32).AsSpan().SequenceEqual(fingerprint)) return null;
        int channels = reader.ReadInt32();
        if (channels != PoolDecoder.Channels || reader.ReadInt32() != imageSize) return null;
        int classCount = reader.ReadInt32();
        if (classCount != classes.Count) return null;
        for (int i = 0; i < classCount; i++)
            if (reader.ReadString() != classes[i]) return null;
        int outcomeCount = reader.ReadInt32();
        if (outcomeCount < 0 || outcomeCount > headerLength) return null;
        byte[] outcomes = reader.ReadBytes(outcomeCount);
        bool complete = reader.ReadBoolean();
        int count = reader.ReadInt32();
        if (count < 0 || (long)count * 4 > headerLength) return null;
        var labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = reader.ReadInt32();
        if (reader.BaseStream.Position != headerLength) return null;
        if (outcomes.Length != outcomeCount || outcomes.Count(o => o == SkipReasons.Ok) != count
            || outcomes.Any(o => o >= SkipReasons.ByCode.Length)) return null;

        long pixelBytes = (long)count * channels * imageSize * imageSize;
        if (start.Length + headerLength + pixelBytes + 8 + endMagic.Length != length) return null;
        var images = new ImageSet(labels, channels, imageSize, chunkBytes);
        for (int c = 0; c < images.ChunkCount; c++)
            stream.ReadExactly(images.ChunkForWrite(c)); // one read per chunk: loading a cached set costs little more than the disk
        var trailer = new byte[8 + endMagic.Length];
        stream.ReadExactly(trailer);
        if (!trailer.AsSpan(8).SequenceEqual(endMagic)) return null;
        ulong expected = BinaryPrimitives.ReadUInt64LittleEndian(trailer);
        if (Checksum(header, images) != expected) return null;
        return new DecodedPool(outcomes, complete, images);
    }

    /// <summary>Writes the pool atomically: a temp file in the same folder, then a rename over the old one.</summary>
    public static void Write(string path, SourceListing listing, byte[] fingerprint, DecodedPool pool, ResizeMethod resize)
    {
        var images = pool.Images;
        var headerStream = new MemoryStream();
        using (var writer = new BinaryWriter(headerStream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(KeyText(listing, images.ImageSize, resize));
            writer.Write(fingerprint);
            writer.Write(images.Channels);
            writer.Write(images.ImageSize);
            writer.Write(listing.Classes.Count);
            foreach (string name in listing.Classes) writer.Write(name);
            writer.Write(pool.Outcomes.Length);
            writer.Write(pool.Outcomes);
            writer.Write(pool.Complete);
            writer.Write(images.Count);
            foreach (int label in images.Labels) writer.Write(label);
        }
        byte[] header = headerStream.ToArray();
        ulong checksum = Checksum(header, images);

        AtomicFile.Write(path, stream =>
        {
            stream.Write(startMagic);
            Span<byte> number = stackalloc byte[8];
            BinaryPrimitives.WriteInt32LittleEndian(number, header.Length);
            stream.Write(number[..4]);
            stream.Write(header);
            for (int c = 0; c < images.ChunkCount; c++) stream.Write(images.ChunkPixels(c));
            BinaryPrimitives.WriteUInt64LittleEndian(number, checksum);
            stream.Write(number);
            stream.Write(endMagic);
        });
    }

    // Chained per image rather than per chunk, so a file written from one chunking checks out when read into another.
    private static ulong Checksum(byte[] header, ImageSet images)
    {
        ulong sum = Checksum64.Compute(header);
        for (int i = 0; i < images.Count; i++) sum = Checksum64.Compute(images.Image(i), sum);
        return sum;
    }
}
