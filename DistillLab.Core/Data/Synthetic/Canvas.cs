namespace DistillLab.Core.Data.Synthetic;

/// <summary>An RGB colour with components in [0, 1].</summary>
internal readonly record struct Rgb(float R, float G, float B)
{
    public Rgb Scale(float k) => new(Math.Clamp(R * k, 0f, 1f), Math.Clamp(G * k, 0f, 1f), Math.Clamp(B * k, 0f, 1f));

    public Rgb Mix(Rgb other, float t) => new(R + (other.R - R) * t, G + (other.G - G) * t, B + (other.B - B) * t);
}

/// <summary>Where a shape's local frame sits in the picture: centre and scale in picture units (0..1), rotation in radians.</summary>
internal readonly struct Placement
{
    public readonly float X, Y, Scale, Cos, Sin;

    public Placement(float x, float y, float scale, float angle)
    {
        X = x; Y = y; Scale = scale;
        Cos = MathF.Cos(angle); Sin = MathF.Sin(angle);
    }

    public static readonly Placement Identity = new(0f, 0f, 1f, 0f);

    public void ToLocal(float px, float py, out float lx, out float ly)
    {
        float dx = px - X, dy = py - Y;
        lx = (dx * Cos + dy * Sin) / Scale;
        ly = (-dx * Sin + dy * Cos) / Scale;
    }

    public void ToPicture(float lx, float ly, out float px, out float py)
    {
        px = X + Scale * (lx * Cos - ly * Sin);
        py = Y + Scale * (lx * Sin + ly * Cos);
    }
}

/// <summary>A planar float RGB picture that shapes are painted into with analytic, anti-aliased edges.</summary>
/// <remarks>Edges are soft by evaluating each shape's signed distance at pixel centres and turning it into
/// coverage over one pixel's width: the look of supersampling at the cost of a single sample per pixel.</remarks>
internal sealed class Canvas
{
    public Canvas(int size)
    {
        Size = size;
        R = new float[size * size];
        G = new float[size * size];
        B = new float[size * size];
    }

    public int Size { get; }
    public float[] R { get; }
    public float[] G { get; }
    public float[] B { get; }

    /// <summary>Paints a shape given in the placement's local frame.</summary>
    /// <param name="feather">Extra edge softness in local units; edges are never sharper than one pixel.</param>
    public void Fill<TShape>(in TShape shape, in Placement at, Rgb color, float opacity = 1f, float feather = 0f)
        where TShape : struct, IShape
    {
        shape.Bounds(out float x0, out float y0, out float x1, out float y1);
        float pixelsPerUnit = at.Scale * Size;
        float featherPx = MathF.Max(1f, feather * pixelsPerUnit);
        float grow = featherPx / pixelsPerUnit;
        x0 -= grow; y0 -= grow; x1 += grow; y1 += grow;

        // The local box's four corners, taken to the picture, bound the pixels worth visiting.
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        Span<float> cx = [x0, x1, x1, x0];
        Span<float> cy = [y0, y0, y1, y1];
        for (int k = 0; k < 4; k++)
        {
            at.ToPicture(cx[k], cy[k], out float px, out float py);
            minX = MathF.Min(minX, px); maxX = MathF.Max(maxX, px);
            minY = MathF.Min(minY, py); maxY = MathF.Max(maxY, py);
        }
        int ix0 = Math.Max(0, (int)MathF.Floor(minX * Size));
        int iy0 = Math.Max(0, (int)MathF.Floor(minY * Size));
        int ix1 = Math.Min(Size - 1, (int)MathF.Ceiling(maxX * Size));
        int iy1 = Math.Min(Size - 1, (int)MathF.Ceiling(maxY * Size));
        if (ix0 > ix1 || iy0 > iy1) return;

        float inv = 1f / Size;
        for (int y = iy0; y <= iy1; y++)
        {
            float py = (y + 0.5f) * inv;
            int row = y * Size;
            for (int x = ix0; x <= ix1; x++)
            {
                at.ToLocal((x + 0.5f) * inv, py, out float lx, out float ly);
                float d = shape.Distance(lx, ly) * pixelsPerUnit;
                float a = Math.Clamp(0.5f - d / featherPx, 0f, 1f) * opacity;
                if (a <= 0f) continue;
                int i = row + x;
                R[i] += (color.R - R[i]) * a;
                G[i] += (color.G - G[i]) * a;
                B[i] += (color.B - B[i]) * a;
            }
        }
    }
}
