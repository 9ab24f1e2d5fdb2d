using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace DistillLab.Core.Data;

/// <summary>Bilinear resizing exactly as TensorFlow 2's `tf.image.resize` does by default (method bilinear,
/// antialias false, half-pixel centres), written into planar CHW bytes.</summary>
/// <remarks>For each output coordinate o: in = (o + 0.5) * (inSize / outSize) - 0.5; lower = max(floor(in), 0),
/// upper = min(ceil(in), inSize - 1), weight = in - floor(in). TensorFlow returns floats; the lab divides them by
/// 255 straight away, while DistillLab stores bytes, so values are rounded to the nearest integer (at most 0.5/255 off).</remarks>
internal static class TensorFlowResize
{
    public static void ToChw(Image<Rgb24> image, int size, Span<byte> chw)
    {
        var xs = Weights(image.Width, size);
        var ys = Weights(image.Height, size);
        int plane = size * size;
        // Two source rows per output row, read in place: a copy of the whole picture would double the memory a
        // large upload takes (147 MB more at 7000 x 7000, on the managed heap where the GC keeps it a while).
        for (int oy = 0; oy < size; oy++)
        {
            var (y0, y1, wy) = ys[oy];
            var top = image.DangerousGetPixelRowMemory(y0).Span;
            var bottom = image.DangerousGetPixelRowMemory(y1).Span;
            for (int ox = 0; ox < size; ox++)
            {
                var (x0, x1, wx) = xs[ox];
                Rgb24 a = top[x0], b = top[x1], c = bottom[x0], d = bottom[x1];
                int at = oy * size + ox;
                chw[at] = Blend(a.R, b.R, c.R, d.R, wx, wy);
                chw[plane + at] = Blend(a.G, b.G, c.G, d.G, wx, wy);
                chw[2 * plane + at] = Blend(a.B, b.B, c.B, d.B, wx, wy);
            }
        }
    }

    /// <summary>The two source indices and the weight of the upper one, for each output index.</summary>
    internal static (int Lower, int Upper, float Weight)[] Weights(int inSize, int outSize)
    {
        float scale = (float)inSize / outSize;
        var weights = new (int, int, float)[outSize];
        for (int o = 0; o < outSize; o++)
        {
            float at = (o + 0.5f) * scale - 0.5f;
            float floor = MathF.Floor(at);
            weights[o] = (Math.Max((int)floor, 0), Math.Min((int)MathF.Ceiling(at), inSize - 1), at - floor);
        }
        return weights;
    }

    // TensorFlow interpolates along x first (top and bottom rows), then along y, in float.
    private static byte Blend(byte a, byte b, byte c, byte d, float wx, float wy)
    {
        float top = a + (b - a) * wx;
        float bottom = c + (d - c) * wx;
        float value = top + (bottom - top) * wy;
        return (byte)Math.Clamp(MathF.Round(value, MidpointRounding.AwayFromZero), 0, 255);
    }
}
