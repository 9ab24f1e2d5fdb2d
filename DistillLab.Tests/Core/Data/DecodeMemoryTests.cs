using System.Buffers.Binary;
using DistillLab.Core.Data;
using DistillLab.Core.Inference;
using SixLabors.ImageSharp.PixelFormats;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data;

public class DecodeMemoryTests
{
    [Fact]
    public void BaselineJpegIsReadAsBaselineWithItsComponentCount()
    {
        Assert.Equal((false, 3), DecodeMemory.JpegFrame(TestImages.Jpeg(16, 16, new Rgb24(1, 2, 3))));
        Assert.Equal((false, 1), DecodeMemory.JpegFrame(TestImages.Jpeg(16, 16, new Rgb24(9, 9, 9),
            colorType: SixLabors.ImageSharp.Formats.Jpeg.JpegColorType.Luminance)));
    }

    [Fact]
    public void ProgressiveJpegCostsItsCoefficientsOnTopOfThePixels()
    {
        var progressive = JpegHeader(0xC2, components: 3);
        Assert.Equal((true, 3), DecodeMemory.JpegFrame(progressive));
        long pixels = 1000 * 1000;
        Assert.Equal((long)(pixels * 3.25), DecodeMemory.Estimate(JpegHeader(0xC0, 3), jpeg: true, 1000, 1000));
        Assert.Equal((long)(pixels * 3.25) + pixels * 2 * 3, DecodeMemory.Estimate(progressive, jpeg: true, 1000, 1000));
    }

    [Fact]
    public void JpegWhoseMarkersCannotBeWalkedCountsAsTheCostliestKind()
    {
        Assert.Equal((true, 4), DecodeMemory.JpegFrame([0xFF, 0xD8, 0x12, 0x34, 0x56, 0x78]));
        Assert.Equal((true, 4), DecodeMemory.JpegFrame([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x00, 0x00]));
    }

    [Fact]
    public void RefusedUploadIsToldItsSizeTheEstimateAndTheLimit()
    {
        var error = Assert.Throws<ImageRejectedException>(() =>
            ImageDecoder.Decode(TestImages.PngDeclaring(3000, 3000), 32, ResizeMethod.Smooth, maxDecodeBytes: 16L << 20));
        Assert.Equal("The picture declares 3000 × 3000 pixels, which would take about 28 MB to decode; at most 16 MB are used to decode one picture.",
            error.Message);
        var overPixels = Assert.Throws<ImageRejectedException>(() => ImageDecoder.Decode(TestImages.PngDeclaring(10_000, 6_000), 32, ResizeMethod.Smooth));
        Assert.Equal("The picture declares 10000 × 6000 pixels; at most 50 megapixels are accepted.", overPixels.Message);
    }

    /// <summary>SOI, a quantisation table segment, then a frame header with the given SOF marker; enough to walk.</summary>
    private static byte[] JpegHeader(byte sof, int components)
    {
        var frame = new byte[2 + 2 + 6 + 3 * components];
        frame[0] = 0xFF; frame[1] = sof;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)(frame.Length - 2));
        frame[4] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(5), 1000);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(7), 1000);
        frame[9] = (byte)components;
        byte[] dqt = [0xFF, 0xDB, 0x00, 0x04, 0x00, 0x00];
        return [0xFF, 0xD8, .. dqt, .. frame];
    }
}
