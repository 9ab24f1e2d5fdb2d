namespace DistillLab.Core.Data.Synthetic;

/// <summary>A 2-D shape known by its signed distance (negative inside) and a box that holds it.</summary>
/// <remarks>Structs behind a generic constraint, so the painter's inner loop is specialised and inlined per shape.</remarks>
internal interface IShape
{
    float Distance(float x, float y);
    void Bounds(out float x0, out float y0, out float x1, out float y1);
}

/// <summary>A rotated ellipse. The distance is the usual first-order estimate, exact enough for anti-aliasing.</summary>
internal readonly struct Ellipse(float cx, float cy, float rx, float ry, float angle = 0f) : IShape
{
    private readonly float cos = MathF.Cos(angle), sin = MathF.Sin(angle);

    public float Distance(float x, float y)
    {
        float dx = x - cx, dy = y - cy;
        float u = dx * cos + dy * sin, v = -dx * sin + dy * cos;
        float qx = u / rx, qy = v / ry;
        float k0 = MathF.Sqrt(qx * qx + qy * qy);
        float k1 = MathF.Sqrt(qx * qx / (rx * rx) + qy * qy / (ry * ry));
        return k1 < 1e-6f ? -MathF.Min(rx, ry) : k0 * (k0 - 1f) / k1;
    }

    public void Bounds(out float x0, out float y0, out float x1, out float y1)
    {
        float ex = MathF.Sqrt(rx * rx * cos * cos + ry * ry * sin * sin);
        float ey = MathF.Sqrt(rx * rx * sin * sin + ry * ry * cos * cos);
        x0 = cx - ex; x1 = cx + ex; y0 = cy - ey; y1 = cy + ey;
    }
}

/// <summary>A triangle; <paramref name="round"/> grows it outward by that radius, rounding its corners.</summary>
internal readonly struct Triangle : IShape
{
    private readonly float ax, ay, bx, by, cx, cy, round;
    private readonly float n0x, n0y, n1x, n1y, n2x, n2y;

    public Triangle(float ax, float ay, float bx, float by, float cx, float cy, float round = 0f)
    {
        this.ax = ax; this.ay = ay; this.bx = bx; this.by = by; this.cx = cx; this.cy = cy; this.round = round;
        // Outward edge normals; the winding decides which side of each edge is out.
        float sign = MathF.Sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
        if (sign == 0f) sign = 1f;
        Normal(ax, ay, bx, by, sign, out n0x, out n0y);
        Normal(bx, by, cx, cy, sign, out n1x, out n1y);
        Normal(cx, cy, ax, ay, sign, out n2x, out n2y);
    }

    private static void Normal(float x0, float y0, float x1, float y1, float sign, out float nx, out float ny)
    {
        float ex = x1 - x0, ey = y1 - y0, len = MathF.Max(1e-6f, MathF.Sqrt(ex * ex + ey * ey));
        nx = sign * ey / len; ny = -sign * ex / len;
    }

    public float Distance(float x, float y)
    {
        float d0 = (x - ax) * n0x + (y - ay) * n0y;
        float d1 = (x - bx) * n1x + (y - by) * n1y;
        float d2 = (x - cx) * n2x + (y - cy) * n2y;
        return MathF.Max(d0, MathF.Max(d1, d2)) - round;
    }

    public void Bounds(out float x0, out float y0, out float x1, out float y1)
    {
        x0 = MathF.Min(ax, MathF.Min(bx, cx)) - round; x1 = MathF.Max(ax, MathF.Max(bx, cx)) + round;
        y0 = MathF.Min(ay, MathF.Min(by, cy)) - round; y1 = MathF.Max(ay, MathF.Max(by, cy)) + round;
    }
}

/// <summary>An axis-aligned box (rotate it with the placement), optionally with rounded corners.</summary>
internal readonly struct Box(float cx, float cy, float hx, float hy, float round = 0f) : IShape
{
    public float Distance(float x, float y)
    {
        float qx = MathF.Abs(x - cx) - hx + round, qy = MathF.Abs(y - cy) - hy + round;
        float outside = MathF.Sqrt(MathF.Max(qx, 0f) * MathF.Max(qx, 0f) + MathF.Max(qy, 0f) * MathF.Max(qy, 0f));
        return outside + MathF.Min(MathF.Max(qx, qy), 0f) - round;
    }

    public void Bounds(out float x0, out float y0, out float x1, out float y1)
    {
        x0 = cx - hx; x1 = cx + hx; y0 = cy - hy; y1 = cy + hy;
    }
}

/// <summary>A stroke of the given half-width along a quadratic Bezier curve (a straight line when the control point sits between the ends).</summary>
internal readonly struct Stroke : IShape
{
    private const int Pieces = 6;
    private readonly float ax, ay, qx, qy, bx, by, halfWidth;

    public Stroke(float ax, float ay, float qx, float qy, float bx, float by, float halfWidth)
    {
        this.ax = ax; this.ay = ay; this.qx = qx; this.qy = qy; this.bx = bx; this.by = by; this.halfWidth = halfWidth;
    }

    public static Stroke Line(float ax, float ay, float bx, float by, float halfWidth)
        => new(ax, ay, (ax + bx) / 2f, (ay + by) / 2f, bx, by, halfWidth);

    private void Point(float t, out float x, out float y)
    {
        float s = 1f - t;
        x = s * s * ax + 2f * s * t * qx + t * t * bx;
        y = s * s * ay + 2f * s * t * qy + t * t * by;
    }

    public float Distance(float x, float y)
    {
        // The curve as a few straight pieces: enough for the short whiskers and mouths drawn here.
        float best = float.MaxValue;
        Point(0f, out float px, out float py);
        for (int k = 1; k <= Pieces; k++)
        {
            Point(k / (float)Pieces, out float nx, out float ny);
            float ex = nx - px, ey = ny - py, wx = x - px, wy = y - py;
            float t = Math.Clamp((wx * ex + wy * ey) / MathF.Max(1e-9f, ex * ex + ey * ey), 0f, 1f);
            float dx = wx - ex * t, dy = wy - ey * t;
            best = MathF.Min(best, dx * dx + dy * dy);
            px = nx; py = ny;
        }
        return MathF.Sqrt(best) - halfWidth;
    }

    public void Bounds(out float x0, out float y0, out float x1, out float y1)
    {
        x0 = MathF.Min(ax, MathF.Min(qx, bx)) - halfWidth; x1 = MathF.Max(ax, MathF.Max(qx, bx)) + halfWidth;
        y0 = MathF.Min(ay, MathF.Min(qy, by)) - halfWidth; y1 = MathF.Max(ay, MathF.Max(qy, by)) + halfWidth;
    }
}

/// <summary>The part of <typeparamref name="TShape"/> inside <typeparamref name="TClip"/>: markings stay on the fur they belong to.</summary>
internal readonly struct Clipped<TShape, TClip>(TShape shape, TClip clip) : IShape
    where TShape : struct, IShape
    where TClip : struct, IShape
{
    public float Distance(float x, float y) => MathF.Max(shape.Distance(x, y), clip.Distance(x, y));

    public void Bounds(out float x0, out float y0, out float x1, out float y1)
    {
        shape.Bounds(out x0, out y0, out x1, out y1);
        clip.Bounds(out float c0, out float c1, out float c2, out float c3);
        x0 = MathF.Max(x0, c0); y0 = MathF.Max(y0, c1); x1 = MathF.Min(x1, c2); y1 = MathF.Min(y1, c3);
    }
}
