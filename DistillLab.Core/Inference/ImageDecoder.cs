using DistillLab.Core.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace DistillLab.Core.Inference;

/// <summary>Why an uploaded picture was refused; the message is safe to show to the user.</summary>
public sealed class ImageRejectedException(string message) : Exception(message);

/// <summary>Decodes one user-supplied picture (JPEG or PNG only) into a one-image <see cref="ImageSet"/>,
/// and encodes stored pixels back to PNG thumbnails.</summary>
public static class ImageDecoder
{
    /// <summary>The memory one decode may take unless the caller sets another limit.</summary>
    public const long DefaultMaxDecodeBytes = ImageFileDecoder.DefaultMaxDecodeBytes;

    /// <summary>Decodes exactly as the data pipeline does (JPEG/PNG only, identify before decode, bounded memory,
    /// RGB, size x size bilinear without keeping the aspect ratio); a refused file gets a message for the user.</summary>
    /// <param name="maxDecodeBytes">A picture whose decode is estimated to need more is refused before decoding.</param>
    public static ImageSet Decode(byte[] bytes, int imageSize, ResizeMethod resize, long maxDecodeBytes = DefaultMaxDecodeBytes)
    {
        var chw = new byte[3 * imageSize * imageSize];
        var reason = ImageFileDecoder.TryDecode(bytes, imageSize, chw, resize, maxDecodeBytes, out var footprint);
        if (reason is not null) throw new ImageRejectedException(Explain(reason, footprint, maxDecodeBytes));
        return new ImageSet(chw, [0], 3, imageSize);
    }

    /// <summary>The checks that take no pixel memory (format, truncation, declared size against the pixel and memory
    /// limits), so a picture that would be refused anyway is refused before it waits for a decode.</summary>
    public static void Check(byte[] bytes, long maxDecodeBytes = DefaultMaxDecodeBytes)
    {
        var reason = ImageFileDecoder.Inspect(bytes, maxDecodeBytes, out var footprint);
        if (reason is not null) throw new ImageRejectedException(Explain(reason, footprint, maxDecodeBytes));
    }

    private static string Explain(string reason, DecodeFootprint? footprint, long maxDecodeBytes) => reason switch
    {
        SkipReasons.Empty => "The file is empty.",
        SkipReasons.NotAnImage => "The file is not an image; send a JPEG or PNG.",
        SkipReasons.UnsupportedFormat => "Only JPEG and PNG pictures are accepted.",
        SkipReasons.Truncated => "The picture is truncated (its file ends early).",
        SkipReasons.TooLarge => TooLarge(footprint, maxDecodeBytes),
        _ => "The picture could not be decoded (corrupt file).",
    };

    private static string TooLarge(DecodeFootprint? footprint, long maxDecodeBytes)
    {
        const long MB = 1 << 20;
        if (footprint is not { } f) return $"The picture is too large to decode; at most {maxDecodeBytes / MB} MB are used to decode one picture.";
        string declared = $"The picture declares {f.Width} × {f.Height} pixels";
        if ((long)f.Width * f.Height > ImageFileDecoder.MaxPixels)
            return $"{declared}; at most {ImageFileDecoder.MaxPixels / 1_000_000} megapixels are accepted.";
        if (f.Bytes > maxDecodeBytes)
            return $"{declared}, which would take about {(f.Bytes + MB - 1) / MB} MB to decode; at most {maxDecodeBytes / MB} MB are used to decode one picture.";
        // Under both limits yet refused: the allocator's own limit caught a header that lied about the size.
        return $"{declared} but needed more memory than that to decode; at most {maxDecodeBytes / MB} MB are used to decode one picture.";
    }

    /// <summary>Frees the buffers the decoder pools between pictures; for a server once a burst of uploads is over.</summary>
    public static void ReleaseRetainedMemory() => ImageFileDecoder.ReleaseRetainedMemory();

    /// <summary>One stored NCHW RGB image as PNG bytes.</summary>
    public static byte[] ToPng(ReadOnlySpan<byte> chw, int imageSize)
    {
        int plane = imageSize * imageSize;
        using var image = new Image<Rgb24>(imageSize, imageSize);
        for (int y = 0; y < imageSize; y++)
            for (int x = 0; x < imageSize; x++)
            {
                int at = y * imageSize + x;
                image[x, y] = new Rgb24(chw[at], chw[plane + at], chw[2 * plane + at]);
            }
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder());
        return stream.ToArray();
    }
}
