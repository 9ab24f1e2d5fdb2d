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
    /// <summary>Decodes exactly as the data pipeline does (JPEG/PNG only, identify before decode, bounded memory,
    /// RGB, size x size bilinear without keeping the aspect ratio); a refused file gets a message for the user.</summary>
    public static ImageSet Decode(byte[] bytes, int imageSize, ResizeMethod resize)
    {
        var chw = new byte[3 * imageSize * imageSize];
        var reason = ImageFileDecoder.TryDecode(bytes, imageSize, chw, resize);
        if (reason is not null) throw new ImageRejectedException(Explain(reason));
        return new ImageSet(chw, [0], 3, imageSize);
    }

    private static string Explain(string reason) => reason switch
    {
        SkipReasons.Empty => "The file is empty.",
        SkipReasons.NotAnImage => "The file is not an image; send a JPEG or PNG.",
        SkipReasons.UnsupportedFormat => "Only JPEG and PNG pictures are accepted.",
        SkipReasons.Truncated => "The picture is truncated (its file ends early).",
        SkipReasons.TooLarge => $"The picture is too large when decoded; at most {ImageFileDecoder.MaxPixels / 1_000_000} megapixels are accepted.",
        _ => "The picture could not be decoded (corrupt file).",
    };

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
