using DistillLab.Core.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace DistillLab.Core.Inference;

/// <summary>Why an uploaded picture was refused; the message is safe to show to the user.</summary>
public sealed class ImageRejectedException(string message) : Exception(message);

/// <summary>Decodes one user-supplied picture (JPEG or PNG only) into a one-image <see cref="ImageSet"/>,
/// and encodes stored pixels back to PNG thumbnails.</summary>
public static class ImageDecoder
{
    /// <summary>Larger pictures are refused before decoding: a tiny file can claim a huge canvas.</summary>
    public const long MaxPixels = 40_000_000;

    // Only the two decoders we need: fewer formats, fewer crafted-file surprises (ImageSharp 2.1 BMP issue).
    private static readonly Configuration DecodeConfiguration = CreateConfiguration();

    private static Configuration CreateConfiguration()
    {
        var configuration = new Configuration(new JpegConfigurationModule(), new PngConfigurationModule())
        {
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = 256 }),
        };
        return configuration;
    }

    /// <summary>Decodes, converts to RGB and resizes to size x size (bilinear, aspect ratio not kept), as the data pipeline does.</summary>
    public static ImageSet Decode(ReadOnlySpan<byte> bytes, int imageSize)
    {
        if (bytes.Length == 0) throw new ImageRejectedException("The file is empty.");
        var copy = bytes.ToArray();
        IImageInfo? info;
        try { info = Image.Identify(DecodeConfiguration, copy, out _); }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
        { throw new ImageRejectedException("The file is not a JPEG or PNG image."); }
        if (info is null) throw new ImageRejectedException("The file is not a JPEG or PNG image.");
        if ((long)info.Width * info.Height > MaxPixels)
            throw new ImageRejectedException($"The picture is {info.Width} x {info.Height} pixels; at most {MaxPixels / 1_000_000} megapixels are accepted.");
        try
        {
            using var image = Image.Load<Rgb24>(DecodeConfiguration, copy);
            image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(imageSize, imageSize), Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Triangle }));
            var pixels = new byte[3 * imageSize * imageSize];
            int plane = imageSize * imageSize;
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (int x = 0; x < row.Length; x++)
                    {
                        int at = y * imageSize + x;
                        pixels[at] = row[x].R;
                        pixels[plane + at] = row[x].G;
                        pixels[2 * plane + at] = row[x].B;
                    }
                }
            });
            return new ImageSet(pixels, [0], 3, imageSize);
        }
        catch (Exception e) when (e is InvalidImageContentException or UnknownImageFormatException or InvalidMemoryOperationException or NotSupportedException)
        {
            throw new ImageRejectedException("The image could not be decoded (truncated, corrupt or too large).");
        }
    }

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
