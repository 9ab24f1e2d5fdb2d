using System.Buffers.Binary;

namespace DistillLab.Core.Data;

/// <summary>How much memory ImageSharp 2.1.13 takes to decode a picture to RGB24, from its declared size alone.</summary>
/// <remarks>Measured with bench/DecodeMemory (peak resident set above the process's before one decode, 2 to 49
/// megapixels; docs/benchmarks-dashboard.md): PNG of any colour type and baseline JPEG 3.2 bytes per pixel, the
/// decoded RGB24 image plus row buffers; a progressive JPEG also keeps every component's DCT coefficients
/// (2 bytes per coefficient) until the last scan, 9.2 bytes per pixel for three full-resolution components.</remarks>
internal static class DecodeMemory
{
    /// <summary>The decoded RGB24 image plus the decoders' own buffers, rounded up from 3.17-3.22 measured.</summary>
    private const double BaseBytesPerPixel = 3.25;
    private const int CoefficientBytesPerComponentPixel = 2;

    public static long Estimate(ReadOnlySpan<byte> file, bool jpeg, int width, int height)
    {
        long pixels = (long)width * height;
        long bytes = (long)Math.Ceiling(pixels * BaseBytesPerPixel);
        if (!jpeg) return bytes;
        var (progressive, components) = JpegFrame(file);
        // Counted as if no component were subsampled: an upper bound for 4:2:0, exact for 4:4:4 (the measured case).
        if (progressive) bytes += pixels * CoefficientBytesPerComponentPixel * components;
        return bytes;
    }

    /// <summary>Whether the JPEG is progressive and how many components its frame has, from its SOF marker; a file
    /// whose markers cannot be walked counts as progressive CMYK, the costliest kind.</summary>
    internal static (bool Progressive, int Components) JpegFrame(ReadOnlySpan<byte> f)
    {
        var worst = (true, 4);
        int at = 2;
        while (at + 3 < f.Length)
        {
            if (f[at] != 0xFF) return worst;
            byte marker = f[at + 1];
            if (marker == 0xFF) { at++; continue; } // fill byte
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { at += 2; continue; } // markers without a length
            if (marker == 0xDA) return worst; // scan data before any frame header
            int length = BinaryPrimitives.ReadUInt16BigEndian(f[(at + 2)..]);
            bool frame = marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);
            if (frame)
                return at + 9 < f.Length ? (marker is 0xC2 or 0xC6 or 0xCA or 0xCE, f[at + 9]) : worst;
            at += 2 + length;
        }
        return worst;
    }
}
