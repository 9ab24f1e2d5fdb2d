using System.Buffers.Binary;
using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using DistillLab.Core.Data;

namespace DistillLab.Tests.Support;

/// <summary>Small images and IDX files the data tests write for themselves.</summary>
internal static class TestImages
{
    public static byte[] Jpeg(int width, int height, Rgb24 color, int noiseSeed = -1, JpegColorType? colorType = null)
    {
        using var image = Solid(width, height, color, noiseSeed);
        using var stream = new MemoryStream();
        image.Save(stream, new JpegEncoder { Quality = 95, ColorType = colorType });
        return stream.ToArray();
    }

    public static byte[] Png(int width, int height, Rgb24 color, PngColorType colorType = PngColorType.Rgb)
    {
        using var image = Solid(width, height, color, -1);
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder { ColorType = colorType });
        return stream.ToArray();
    }

    public static byte[] PngWithAlpha(int width, int height, Rgba32 color)
    {
        using var image = new Image<Rgba32>(width, height, color);
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        return stream.ToArray();
    }

    public static byte[] GrayPng(int width, int height, byte value)
    {
        using var image = new Image<L8>(width, height, new L8(value));
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder { ColorType = PngColorType.Grayscale });
        return stream.ToArray();
    }

    public static byte[] Bmp(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(1, 2, 3));
        using var stream = new MemoryStream();
        image.Save(stream, new BmpEncoder());
        return stream.ToArray();
    }

    /// <summary>A JPEG cut to 60 %: starts right, has no end marker.</summary>
    public static byte[] TruncatedJpeg() => Jpeg(64, 64, new Rgb24(0, 0, 0), noiseSeed: 7)[..(int)(Jpeg(64, 64, new Rgb24(0, 0, 0), noiseSeed: 7).Length * 0.6)];

    /// <summary>Start and end markers of a JPEG around garbage.</summary>
    public static byte[] CorruptJpeg()
    {
        var garbage = new byte[300];
        new Random(3).NextBytes(garbage);
        return [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0, .. garbage, 0xFF, 0xD9];
    }

    /// <summary>An 8 x 8 single-colour baseline JPEG with four components and an Adobe marker (transform 0), i.e. CMYK
    /// as Photoshop writes it: stored values are inverted ink, so stored (r, g, b, 255) means RGB (r, g, b).</summary>
    /// <remarks>ImageSharp 2.1's encoder cannot write CMYK, so the test writes the few segments by hand: a flat block
    /// has only a DC coefficient, DC = 8 x (value - 128), quantised by 8.</remarks>
    public static byte[] CmykJpeg(byte c, byte m, byte y, byte k)
    {
        var s = new MemoryStream();
        void Segment(byte marker, byte[] payload)
        {
            s.Write([0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)(payload.Length + 2)]);
            s.Write(payload);
        }
        s.Write([0xFF, 0xD8]);
        Segment(0xEE, [.. "Adobe"u8, 0x00, 0x64, 0, 0, 0, 0, 0]);
        Segment(0xDB, [0x00, .. Enumerable.Repeat((byte)8, 64)]);
        Segment(0xC0, [8, 0, 8, 0, 8, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]);
        var dcCounts = new byte[16]; dcCounts[3] = 12; // twelve 4-bit codes: symbol n is code n
        Segment(0xC4, [0x00, .. dcCounts, .. Enumerable.Range(0, 12).Select(i => (byte)i)]);
        var acCounts = new byte[16]; acCounts[0] = 1;  // one 1-bit code "0": end of block
        Segment(0xC4, [0x10, .. acCounts, 0x00]);
        Segment(0xDA, [4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0]);

        var bits = new List<bool>();
        void Put(int value, int count) { for (int i = count - 1; i >= 0; i--) bits.Add(((value >> i) & 1) != 0); }
        foreach (byte v in new[] { c, m, y, k })
        {
            int dc = v - 128;
            int category = dc == 0 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)Math.Abs(dc));
            Put(category, 4);
            Put(dc > 0 ? dc : dc - 1, category);
            Put(0, 1);
        }
        while (bits.Count % 8 != 0) bits.Add(true);
        for (int i = 0; i < bits.Count; i += 8)
        {
            byte b = 0;
            for (int j = 0; j < 8; j++) b = (byte)((b << 1) | (bits[i + j] ? 1 : 0));
            s.WriteByte(b);
            if (b == 0xFF) s.WriteByte(0x00);
        }
        s.Write([0xFF, 0xD9]);
        return s.ToArray();
    }

    /// <summary>A PNG whose header declares width x height but that carries almost no data.</summary>
    public static byte[] PngDeclaring(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(stream, "IHDR", ihdr);
        WriteChunk(stream, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    /// <summary>Puts a comment segment right after the JPEG start so the JFIF marker moves to <paramref name="jfifOffset"/>.</summary>
    public static byte[] JpegWithJfifAt(byte[] jpeg, int jfifOffset)
    {
        int original = jpeg.AsSpan(0, 64).IndexOf("JFIF"u8);
        int segment = jfifOffset - original; // FF FE + 2 length bytes + payload
        var comment = new byte[segment];
        comment[0] = 0xFF; comment[1] = 0xFE;
        BinaryPrimitives.WriteUInt16BigEndian(comment.AsSpan(2), (ushort)(segment - 2));
        return [.. jpeg[..2], .. comment, .. jpeg[2..]];
    }

    /// <summary>The same JPEG with its JFIF marker renamed, as many of the release's non-JFIF files look (Exif-only, other APP0).</summary>
    public static byte[] JpegWithoutJfif(byte[] jpeg)
    {
        var copy = jpeg.ToArray();
        int at = copy.AsSpan().IndexOf("JFIF"u8);
        "XXXX"u8.CopyTo(copy.AsSpan(at));
        return copy;
    }

    public static Image<Rgb24> Solid(int width, int height, Rgb24 color, int noiseSeed)
    {
        var image = new Image<Rgb24>(width, height, color);
        if (noiseSeed >= 0)
        {
            var random = new Random(noiseSeed);
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                    foreach (ref var p in rows.GetRowSpan(y))
                        p = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            });
        }
        return image;
    }

    public static byte[] IdxImages(int count, int rows, int columns, Func<int, byte> value, int magic = 2051)
    {
        var bytes = new byte[16 + count * rows * columns];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        for (int i = 0; i < count; i++) bytes.AsSpan(16 + i * rows * columns, rows * columns).Fill(value(i));
        return bytes;
    }

    public static byte[] IdxLabels(int count, Func<int, byte> label, int magic = 2049)
    {
        var bytes = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        for (int i = 0; i < count; i++) bytes[8 + i] = label(i);
        return bytes;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(data);
        return output.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        stream.Write(number);
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        stream.Write(number);
    }

    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
