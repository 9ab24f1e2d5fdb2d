using DistillLab.Core.Data;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data;

public class ImageFileDecoderTests
{
    private const int Size = 8;
    private static readonly int Plane = Size * Size;

    private static (string? Reason, byte[] Chw) Decode(byte[] file)
    {
        var chw = new byte[3 * Plane];
        return (ImageFileDecoder.TryDecode(file, Size, chw, ResizeMethod.Smooth), chw);
    }

    private static void AssertEveryPixel(byte[] chw, int r, int g, int b, int tolerance)
    {
        for (int i = 0; i < Plane; i++)
        {
            Assert.InRange(chw[i], r - tolerance, r + tolerance);
            Assert.InRange(chw[Plane + i], g - tolerance, g + tolerance);
            Assert.InRange(chw[2 * Plane + i], b - tolerance, b + tolerance);
        }
    }

    [Fact]
    public void ColourJpegBecomesPlanarRgbAtTheRequestedSize()
    {
        var (reason, chw) = Decode(TestImages.Jpeg(30, 20, new Rgb24(200, 40, 90)));
        Assert.Null(reason);
        AssertEveryPixel(chw, 200, 40, 90, tolerance: 4);
    }

    [Fact]
    public void GrayscaleJpegIsReplicatedToThreeChannels()
    {
        var (reason, chw) = Decode(TestImages.Jpeg(16, 16, new Rgb24(120, 120, 120), colorType: JpegColorType.Luminance));
        Assert.Null(reason);
        AssertEveryPixel(chw, 120, 120, 120, tolerance: 2);
    }

    [Fact]
    public void GrayscalePngIsReplicatedToThreeChannels()
    {
        var (reason, chw) = Decode(TestImages.GrayPng(12, 12, 77));
        Assert.Null(reason);
        AssertEveryPixel(chw, 77, 77, 77, tolerance: 0);
    }

    [Fact]
    public void PalettePngIsExpandedToRgb()
    {
        var (reason, chw) = Decode(TestImages.Png(10, 10, new Rgb24(255, 0, 0), PngColorType.Palette));
        Assert.Null(reason);
        AssertEveryPixel(chw, 255, 0, 0, tolerance: 0);
    }

    [Fact]
    public void AlphaIsDroppedAndTheColourKept()
    {
        var (reason, chw) = Decode(TestImages.PngWithAlpha(10, 10, new Rgba32(10, 200, 30, 128)));
        Assert.Null(reason);
        AssertEveryPixel(chw, 10, 200, 30, tolerance: 0);
    }

    [Fact]
    public void CmykJpegIsConvertedToRgb()
    {
        byte[] cmyk = TestImages.CmykJpeg(30, 160, 220, 255);
        var (reason, chw) = Decode(cmyk);
        Assert.Null(reason);
        AssertEveryPixel(chw, 30, 160, 220, tolerance: 6);
    }

    [Fact]
    public void ResizeStretchesWithoutKeepingTheAspectRatio()
    {
        // A wide picture: left half red, right half blue. Stretched to a square, the halves stay halves.
        using var image = new SixLabors.ImageSharp.Image<Rgb24>(64, 16);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++) row[x] = x < 32 ? new Rgb24(255, 0, 0) : new Rgb24(0, 0, 255);
            }
        });
        using var stream = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, stream);
        var (reason, chw) = Decode(stream.ToArray());
        Assert.Null(reason);
        for (int y = 0; y < Size; y++)
        {
            Assert.Equal(255, chw[y * Size + 0]);          // red plane, left column
            Assert.Equal(0, chw[2 * Plane + y * Size + 0]); // blue plane, left column
            Assert.Equal(0, chw[y * Size + Size - 1]);
            Assert.Equal(255, chw[2 * Plane + y * Size + Size - 1]);
        }
    }

    [Fact]
    public void ZeroByteFileIsEmpty() => Assert.Equal(SkipReasons.Empty, Decode([]).Reason);

    [Fact]
    public void TextFileIsNotAnImage() => Assert.Equal(SkipReasons.NotAnImage, Decode("hello, not a picture"u8.ToArray()).Reason);

    [Fact]
    public void BmpIsAnUnsupportedFormat() => Assert.Equal(SkipReasons.UnsupportedFormat, Decode(TestImages.Bmp(4, 4)).Reason);

    [Fact]
    public void JpegCutShortIsTruncated() => Assert.Equal(SkipReasons.Truncated, Decode(TestImages.TruncatedJpeg()).Reason);

    [Fact]
    public void PngCutShortIsTruncated()
    {
        byte[] png = TestImages.Png(20, 20, new Rgb24(1, 2, 3));
        Assert.Equal(SkipReasons.Truncated, Decode(png[..(png.Length - 20)]).Reason);
    }

    [Fact]
    public void JpegWithGarbageInsideIsCorrupt() => Assert.Equal(SkipReasons.Corrupt, Decode(TestImages.CorruptJpeg()).Reason);

    [Fact]
    public void ImageDeclaringMoreThanFiftyMegapixelsIsTooLargeAndNeverAllocated()
        => Assert.Equal(SkipReasons.TooLarge, Decode(TestImages.PngDeclaring(10_000, 6_000)).Reason);

    [Fact]
    public void ImageWhoseDecodeWouldPassTheMemoryLimitIsTooLargeBeforeDecoding()
    {
        // 3000 x 3000 is far under the pixel cap; its decode is estimated at ~28 MB. The file has no real pixel data,
        // so only a refusal before decoding can answer too-large: a decode would come out corrupt or black.
        var png = TestImages.PngDeclaring(3000, 3000);
        var chw = new byte[3 * Plane];
        Assert.Equal(SkipReasons.TooLarge, ImageFileDecoder.TryDecode(png, Size, chw, ResizeMethod.Smooth, 16L << 20, out var footprint));
        Assert.Equal((3000, 3000), (footprint!.Width, footprint.Height));
        Assert.InRange(footprint.Bytes, 27L << 20, 29L << 20);
        Assert.NotEqual(SkipReasons.TooLarge, ImageFileDecoder.TryDecode(png, Size, chw, ResizeMethod.Smooth, 64L << 20, out _));
    }

    [Fact]
    public void TheDefaultMemoryLimitKeepsEveryPngUnderThePixelCapAndOrdinaryPhotos()
    {
        Assert.Equal(256L << 20, ImageFileDecoder.DefaultMaxDecodeBytes);
        Assert.True(DecodeMemory.Estimate(TestImages.PngDeclaring(7000, 7000), jpeg: false, 7000, 7000) < ImageFileDecoder.DefaultMaxDecodeBytes);
        Assert.Null(Decode(TestImages.Jpeg(500, 375, new Rgb24(10, 20, 30))).Reason);
    }
}
