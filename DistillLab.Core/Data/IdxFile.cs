using System.Buffers.Binary;
using System.IO.Compression;

namespace DistillLab.Core.Data;

/// <summary>Reads one MNIST-family IDX file (unsigned bytes), gzipped or not, and checks its header against its length.</summary>
internal static class IdxFile
{
    public const int ImagesMagic = 2051; // 0x00000803: unsigned byte, 3 dimensions
    public const int LabelsMagic = 2049; // 0x00000801: unsigned byte, 1 dimension

    /// <summary>Finds &lt;stem&gt;-idx3-ubyte style files, plain or .gz, accepting the '.' variant some mirrors use.</summary>
    public static string? Find(string dir, string prefix, string kind)
    {
        foreach (string name in new[] { $"{prefix}-{kind}-ubyte", $"{prefix}.{kind}-ubyte" })
            foreach (string candidate in new[] { name, name + ".gz" })
                if (File.Exists(Path.Combine(dir, candidate))) return Path.Combine(dir, candidate);
        return null;
    }

    public static (byte[] Data, int Count, int Rows, int Columns) ReadImages(string path)
    {
        byte[] bytes = ReadMaybeGzipped(path);
        Check(bytes, path, ImagesMagic, headerBytes: 16);
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        int columns = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
        if (count < 0 || rows <= 0 || columns <= 0 || rows > 4096 || columns > 4096)
            throw new DataSourceException($"The IDX image file '{path}' declares {count} images of {rows}x{columns}; expected a count >= 0 and sides between 1 and 4096.");
        long expected = 16 + (long)count * rows * columns;
        if (bytes.LongLength != expected)
            throw new DataSourceException($"The IDX image file '{path}' declares {count} images of {rows}x{columns} ({expected} bytes with its header) but holds {bytes.LongLength} bytes.");
        return (bytes[16..], count, rows, columns);
    }

    public static byte[] ReadLabels(string path)
    {
        byte[] bytes = ReadMaybeGzipped(path);
        Check(bytes, path, LabelsMagic, headerBytes: 8);
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        if (count < 0 || bytes.LongLength != 8L + count)
            throw new DataSourceException($"The IDX label file '{path}' declares {count} labels ({8L + count} bytes with its header) but holds {bytes.LongLength} bytes.");
        return bytes[8..];
    }

    private static void Check(byte[] bytes, string path, int magic, int headerBytes)
    {
        if (bytes.Length < headerBytes)
            throw new DataSourceException($"The IDX file '{path}' is {bytes.Length} bytes long, shorter than its {headerBytes}-byte header.");
        int actual = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (actual != magic)
            throw new DataSourceException($"The IDX file '{path}' has magic number {actual}; expected {magic} ({(magic == ImagesMagic ? "images: unsigned bytes, 3 dimensions" : "labels: unsigned bytes, 1 dimension")}).");
    }

    // Decided by content, not by name: mirrors hand out .gz files already unpacked and the reverse.
    private static byte[] ReadMaybeGzipped(string path)
    {
        try
        {
            byte[] raw = File.ReadAllBytes(path);
            if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B) return raw;
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            return plain.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataSourceException($"The IDX file '{path}' is not a valid gzip stream: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new DataSourceException($"The IDX file '{path}' could not be read: {e.Message}", e);
        }
    }
}
