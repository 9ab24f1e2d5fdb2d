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

    public static (byte[] Data, int Count, int Rows, int Columns) ReadImages(string path) => Read(path, stream =>
    {
        var header = ReadHeader(stream, path, ImagesMagic, headerBytes: 16);
        int count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
        int columns = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(12));
        if (count < 0 || rows <= 0 || columns <= 0 || rows > 4096 || columns > 4096)
            throw new DataSourceException($"The IDX image file '{path}' declares {count} images of {rows}x{columns}; expected a count >= 0 and sides between 1 and 4096.");
        long body = (long)count * rows * columns;
        var data = ReadBody(stream, path, 16, body, $"{count} images of {rows}x{columns}");
        return (data, count, rows, columns);
    });

    public static byte[] ReadLabels(string path) => Read(path, stream =>
    {
        var header = ReadHeader(stream, path, LabelsMagic, headerBytes: 8);
        int count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        if (count < 0)
            throw new DataSourceException($"The IDX label file '{path}' declares {count} labels; expected a count >= 0.");
        return ReadBody(stream, path, 8, count, $"{count} labels");
    });

    private static byte[] ReadHeader(Stream stream, string path, int magic, int headerBytes)
    {
        var header = new byte[headerBytes];
        int got = stream.ReadAtLeast(header, headerBytes, throwOnEndOfStream: false);
        if (got < headerBytes)
            throw new DataSourceException($"The IDX file '{path}' is {got} bytes long, shorter than its {headerBytes}-byte header.");
        int actual = BinaryPrimitives.ReadInt32BigEndian(header);
        if (actual != magic)
            throw new DataSourceException($"The IDX file '{path}' has magic number {actual}; expected {magic} ({(magic == ImagesMagic ? "images: unsigned bytes, 3 dimensions" : "labels: unsigned bytes, 1 dimension")}).");
        return header;
    }

    /// <summary>Reads exactly the body the header declares, and not a byte more: a small gzip that inflates to gigabytes
    /// stops at the declared size (the header is read first, so memory follows what the file says it holds).</summary>
    private static byte[] ReadBody(Stream stream, string path, int headerBytes, long declared, string what)
    {
        long expected = headerBytes + declared;
        if (declared > Array.MaxLength)
            throw new DataSourceException($"The IDX file '{path}' declares {what} ({expected:N0} bytes with its header); at most {Array.MaxLength:N0} bytes are supported.");
        if (stream is FileStream plain && plain.Length != expected)
            throw new DataSourceException($"The IDX file '{path}' declares {what} ({expected} bytes with its header) but holds {plain.Length} bytes.");
        var data = new byte[declared];
        int got = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (got < declared)
            throw new DataSourceException($"The IDX file '{path}' declares {what} ({expected} bytes with its header) but holds {headerBytes + got} bytes.");
        if (stream.ReadByte() >= 0)
            throw new DataSourceException($"The IDX file '{path}' declares {what} ({expected} bytes with its header) but holds more.");
        return data;
    }

    // Decided by content, not by name: mirrors hand out .gz files already unpacked and the reverse.
    private static T Read<T>(string path, Func<Stream, T> read)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> magic = stackalloc byte[2];
            bool gzipped = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
            file.Position = 0;
            if (!gzipped) return read(file);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            return read(gzip);
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
