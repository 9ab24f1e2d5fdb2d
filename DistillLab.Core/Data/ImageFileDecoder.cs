using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace DistillLab.Core.Data;

/// <summary>What decoding one file would take: the size its header declares and the memory estimated for the decode.</summary>
public sealed record DecodeFootprint(int Width, int Height, long Bytes);

/// <summary>Turns the bytes of one image file into size x size RGB uint8 in CHW order, or says why it cannot.</summary>
internal static class ImageFileDecoder
{
    /// <summary>Images that declare more pixels than this are refused before any pixel memory is taken.</summary>
    public const long MaxPixels = 50_000_000;

    /// <summary>The memory one decode may take unless the caller says otherwise (the data pipeline never does).</summary>
    public const long DefaultMaxDecodeBytes = 256L << 20;

    // Only JPEG and PNG are registered: ImageSharp 2.1.13 can still be made to allocate ~2 GB by a
    // crafted BMP, so formats we do not need are not even reachable. The allocation limit is the second
    // guard should a declared size lie. One image per thread: the caller parallelises over files, so
    // ImageSharp's own parallelism would only oversubscribe the cores.
    // The pool is small on purpose: by default it may keep 1/8 of the machine's memory, and after 24 concurrent
    // 7000 x 7000 uploads it held ~2.7 GB for minutes (docs/benchmarks-dashboard.md). Beyond 32 MB, a picture's
    // buffers are allocated for it and freed when it is disposed; buffers of 1 MB or less (a 500 x 375 photo) come from
    // the shared ArrayPool anyway.
    private static readonly Configuration configuration = new(new JpegConfigurationModule(), new PngConfigurationModule())
    {
        MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = 1024, MaximumPoolSizeMegabytes = 32 }),
        MaxDegreeOfParallelism = 1,
    };

    /// <summary>Decodes into <paramref name="chw"/> (3 * size * size bytes) with the default memory limit; returns a
    /// <see cref="SkipReasons"/> value, or null on success.</summary>
    public static string? TryDecode(byte[] file, int size, byte[] chw, ResizeMethod resize) =>
        TryDecode(file, size, chw, resize, DefaultMaxDecodeBytes, out _);

    /// <summary>Decodes into <paramref name="chw"/> unless <see cref="Inspect"/> refuses the file; <paramref name="footprint"/>
    /// is what the header declared (null when it could not be read).</summary>
    public static string? TryDecode(byte[] file, int size, byte[] chw, ResizeMethod resize, long maxDecodeBytes, out DecodeFootprint? footprint)
    {
        var refused = Inspect(file, maxDecodeBytes, out footprint);
        if (refused is not null) return refused;
        return Guarded(() =>
        {
            using var image = Image.Load<Rgb24>(configuration, file);
            if (resize == ResizeMethod.Lab && (image.Width != size || image.Height != size))
            {
                TensorFlowResize.ToChw(image, size, chw);
                return null;
            }
            if (image.Width != size || image.Height != size)
                image.Mutate(x => x.Resize(new ResizeOptions
                {
                    Size = new Size(size, size),
                    Mode = ResizeMode.Stretch,
                    Sampler = KnownResamplers.Triangle,
                }));
            CopyToChw(image, chw);
            return null;
        });
    }

    /// <summary>Every check that takes no pixel memory: format, end marker, and the header's declared size against
    /// <see cref="MaxPixels"/> and (estimated) <paramref name="maxDecodeBytes"/>. A <see cref="SkipReasons"/> value, or null.</summary>
    public static string? Inspect(byte[] file, long maxDecodeBytes, out DecodeFootprint? footprint)
    {
        footprint = null;
        if (file.Length == 0) return SkipReasons.Empty;
        var format = Sniff(file);
        if (format == Sniffed.OtherImage) return SkipReasons.UnsupportedFormat;
        if (format == Sniffed.Unknown) return SkipReasons.NotAnImage;
        bool complete = format == Sniffed.Jpeg ? HasJpegEnd(file) : HasPngEnd(file);
        // ImageSharp 2.1.13 decodes a cut-off JPEG without complaint (the missing rows come out black), so
        // truncation is decided from the end marker: a half picture would otherwise train as if it were whole.
        if (!complete) return SkipReasons.Truncated;

        DecodeFootprint? declared = null;
        var refused = Guarded(() =>
        {
            var info = Image.Identify(configuration, file, out _);
            if (info is null) return SkipReasons.Corrupt;
            declared = new DecodeFootprint(info.Width, info.Height, DecodeMemory.Estimate(file, format == Sniffed.Jpeg, info.Width, info.Height));
            return (long)info.Width * info.Height > MaxPixels || declared.Bytes > maxDecodeBytes ? SkipReasons.TooLarge : null;
        });
        footprint = declared;
        return refused;
    }

    private static string? Guarded(Func<string?> step)
    {
        try
        {
            return step();
        }
        catch (InvalidMemoryOperationException)
        {
            return SkipReasons.TooLarge;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            // A decoder fed hostile bytes throws more than ImageFormatException (a NullReferenceException from
            // JpegDecoderCore.Identify on a garbled JPEG was seen here); one bad file must never end a run.
            return SkipReasons.Corrupt;
        }
    }

    /// <summary>Frees the pooled buffers the decoder keeps between pictures (at most 32 MB); decodes may go on meanwhile.</summary>
    public static void ReleaseRetainedMemory() => configuration.MemoryAllocator.ReleaseRetainedResources();

    /// <summary>Copies an image of size x size RGB pixels into planar CHW bytes.</summary>
    public static void CopyToChw(Image<Rgb24> image, byte[] chw)
    {
        int plane = image.Width * image.Height;
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                var row = accessor.GetRowSpan(y);
                int offset = y * accessor.Width;
                for (int x = 0; x < row.Length; x++)
                {
                    chw[offset + x] = row[x].R;
                    chw[plane + offset + x] = row[x].G;
                    chw[2 * plane + offset + x] = row[x].B;
                }
            }
        });
    }

    private enum Sniffed { Jpeg, Png, OtherImage, Unknown }

    private static Sniffed Sniff(ReadOnlySpan<byte> f)
    {
        if (f.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Sniffed.Jpeg;
        if (f.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return Sniffed.Png;
        // Formats people do keep among photos: BMP, GIF, TIFF, WebP, ICO, HEIF/AVIF.
        if (f.StartsWith("BM"u8) || f.StartsWith("GIF8"u8)
            || f.StartsWith((ReadOnlySpan<byte>)[0x49, 0x49, 0x2A, 0x00]) || f.StartsWith((ReadOnlySpan<byte>)[0x4D, 0x4D, 0x00, 0x2A])
            || f.Length >= 12 && f.StartsWith("RIFF"u8) && f.Slice(8, 4).SequenceEqual("WEBP"u8)
            || f.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x01, 0x00])
            || f.Length >= 12 && f.Slice(4, 4).SequenceEqual("ftyp"u8))
            return Sniffed.OtherImage;
        return Sniffed.Unknown;
    }

    // Some cameras pad after the EOI marker, so look for it near the end rather than only at the end.
    private static bool HasJpegEnd(ReadOnlySpan<byte> f)
    {
        var tail = f.Length > 1024 ? f[^1024..] : f[2..];
        return tail.LastIndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]) >= 0;
    }

    private static bool HasPngEnd(ReadOnlySpan<byte> f)
    {
        var tail = f.Length > 64 ? f[^64..] : f;
        return tail.LastIndexOf("IEND"u8) >= 0;
    }
}
