using static DistillLab.Core.Data.Synthetic.FaceTraits;

namespace DistillLab.Core.Data.Synthetic;

/// <summary>Paints one animal face in a local frame where the head is about one unit in radius and y points down.</summary>
internal static class FacePainter
{
    private static readonly Rgb NearBlack = new(0.07f, 0.06f, 0.06f);
    private static readonly Rgb White = new(0.97f, 0.96f, 0.94f);

    public static void Paint(Canvas canvas, Random rng, FaceTraits face, in Placement at)
    {
        var fur = Palette.FurColor(rng);
        var second = rng.NextDouble() < 0.5 ? Palette.FurColor(rng) : fur.Scale(U(rng, 0.55f, 0.85f));
        // Lines must stay visible when the face is small: never thinner than about half a pixel.
        float minHalfWidth = 0.45f / (at.Scale * canvas.Size);
        var head = new Ellipse(0f, 0f, face.HeadWidth, face.HeadHeight);

        if (rng.NextDouble() < 0.65)
            canvas.Fill(new Ellipse(U(rng, -0.3f, 0.3f), U(rng, 1.35f, 1.65f), U(rng, 0.9f, 1.5f), U(rng, 0.7f, 1.0f)), at, fur.Scale(U(rng, 0.8f, 1.05f)));

        if (face.Ears is not EarStyle.Floppy) PaintUprightEars(canvas, rng, face, at, fur, second);
        canvas.Fill(head, at, fur);
        PaintShading(canvas, rng, head, at, fur);
        PaintMarkings(canvas, rng, head, at, second, minHalfWidth);
        if (face.Ears is EarStyle.Floppy) PaintFloppyEars(canvas, rng, face, at, fur, second);

        float eyeY = U(rng, -0.25f, -0.05f);
        float eyeX = U(rng, 0.3f, 0.45f);
        float eyeSize = U(rng, 0.85f, 1.2f);
        var iris = Palette.EyeColor(rng, mostlyBright: face.SlitPupils || face.AlmondEyes);
        for (int side = -1; side <= 1; side += 2)
            PaintEye(canvas, rng, face, at, side * eyeX, eyeY, side, eyeSize, iris);

        PaintSnout(canvas, rng, face, at, fur, minHalfWidth);
    }

    private static void PaintUprightEars(Canvas canvas, Random rng, FaceTraits face, in Placement at, Rgb fur, Rgb second)
    {
        var inner = rng.NextDouble() < 0.45 ? Palette.Pink(rng) : second;
        float h = face.EarHeight;
        float spread = U(rng, 0.5f, 0.85f);
        for (int side = -1; side <= 1; side += 2)
        {
            float s = side;
            switch (face.Ears)
            {
                case EarStyle.Pointed:
                {
                    float bi = U(rng, 0.12f, 0.35f), bo = U(rng, 0.82f, 1.0f), tx = spread + U(rng, -0.05f, 0.05f);
                    float baseY = -face.HeadHeight * 0.8f;
                    var ear = new Triangle(s * bi, baseY, s * bo, -face.HeadHeight * 0.35f, s * tx, baseY - h, 0.03f);
                    canvas.Fill(ear, at, fur);
                    float mx = s * (bi + bo + tx) / 3f, my = (baseY - face.HeadHeight * 0.35f + baseY - h) / 3f;
                    const float k = 0.55f;
                    canvas.Fill(new Triangle(mx + (s * bi - mx) * k, my + (baseY - my) * k, mx + (s * bo - mx) * k, my + (-face.HeadHeight * 0.35f - my) * k,
                        mx + (s * tx - mx) * k, my + (baseY - h - my) * k, 0.02f), at, inner, 0.85f);
                    break;
                }
                case EarStyle.RoundUpright:
                {
                    float rx = U(rng, 0.2f, 0.3f), ry = MathF.Max(rx * 1.1f, h * 0.6f);
                    float cx = s * spread, cy = -face.HeadHeight * 0.7f - ry * 0.6f;
                    canvas.Fill(new Ellipse(cx, cy, rx, ry, s * U(rng, 0.1f, 0.45f)), at, fur);
                    canvas.Fill(new Ellipse(cx, cy + ry * 0.15f, rx * 0.55f, ry * 0.6f, s * 0.25f), at, inner, 0.8f);
                    break;
                }
                default: // Folded: a short upright base whose tip flops forward and outward.
                {
                    float bi = U(rng, 0.15f, 0.35f), bo = U(rng, 0.8f, 0.98f);
                    float baseY = -face.HeadHeight * 0.8f, topY = baseY - h * 0.5f;
                    canvas.Fill(new Triangle(s * bi, baseY, s * bo, -face.HeadHeight * 0.35f, s * (bi + bo) * 0.55f, topY, 0.1f), at, fur);
                    var flap = second.Mix(fur, U(rng, 0f, 0.6f));
                    canvas.Fill(new Triangle(s * bi, topY + 0.05f, s * bo, topY + 0.15f, s * (bo + U(rng, -0.1f, 0.15f)), topY + U(rng, 0.35f, 0.6f), 0.06f), at, flap);
                    break;
                }
            }
        }
    }

    private static void PaintFloppyEars(Canvas canvas, Random rng, FaceTraits face, in Placement at, Rgb fur, Rgb second)
    {
        var ear = rng.NextDouble() < 0.5 ? second : fur.Scale(U(rng, 0.75f, 1.05f));
        float rx = U(rng, 0.24f, 0.38f), ry = U(rng, 0.5f, 0.8f);
        float x = U(rng, 0.8f, 0.98f), y = U(rng, -0.2f, 0.15f), tilt = U(rng, 0.05f, 0.5f);
        for (int side = -1; side <= 1; side += 2)
            canvas.Fill(new Ellipse(side * x, y, rx, ry, -side * tilt), at, ear);
    }

    private static void PaintShading(Canvas canvas, Random rng, Ellipse head, in Placement at, Rgb fur)
    {
        canvas.Fill(new Clipped<Ellipse, Ellipse>(new Ellipse(U(rng, -0.4f, 0.4f), -0.5f, 0.7f, 0.5f), head), at, fur.Mix(White, 0.5f), U(rng, 0.05f, 0.25f), 0.5f);
        canvas.Fill(new Clipped<Ellipse, Ellipse>(new Ellipse(0f, 1.0f, 1.1f, 0.5f), head), at, fur.Scale(0.6f), U(rng, 0.05f, 0.3f), 0.4f);
    }

    /// <summary>Markings shared by both classes: a blaze, a white chin, an eye patch, tabby stripes.</summary>
    private static void PaintMarkings(Canvas canvas, Random rng, Ellipse head, in Placement at, Rgb second, float minHalfWidth)
    {
        if (rng.NextDouble() < 0.2)
            canvas.Fill(new Clipped<Ellipse, Ellipse>(new Ellipse(0f, -0.45f, U(rng, 0.08f, 0.18f), U(rng, 0.4f, 0.7f)), head), at, White, 0.9f, 0.05f);
        if (rng.NextDouble() < 0.25)
            canvas.Fill(new Clipped<Ellipse, Ellipse>(new Ellipse(0f, U(rng, 0.55f, 0.8f), U(rng, 0.6f, 0.9f), U(rng, 0.4f, 0.6f)), head), at, White, 0.95f, 0.04f);
        if (rng.NextDouble() < 0.15)
        {
            float side = rng.NextDouble() < 0.5 ? -1f : 1f;
            canvas.Fill(new Clipped<Ellipse, Ellipse>(new Ellipse(side * 0.4f, -0.2f, U(rng, 0.25f, 0.4f), U(rng, 0.22f, 0.35f), U(rng, -0.5f, 0.5f)), head), at, second, 0.95f, 0.03f);
        }
        if (rng.NextDouble() < 0.25)
        {
            var stripe = second.Scale(0.7f);
            float w = MathF.Max(minHalfWidth, U(rng, 0.03f, 0.05f));
            for (int k = -1; k <= 1; k++)
            {
                float x = k * 0.2f;
                canvas.Fill(new Clipped<Stroke, Ellipse>(new Stroke(x, -0.95f, x * 1.3f, -0.7f, x * 0.8f, -0.45f, w), head), at, stripe, 0.8f);
            }
        }
    }

    private static void PaintEye(Canvas canvas, Random rng, FaceTraits face, in Placement at, float x, float y, int side, float size, Rgb iris)
    {
        float rx = face.AlmondEyes ? 0.19f * size : 0.12f * size;
        float ry = face.AlmondEyes ? 0.13f * size : 0.12f * size;
        float angle = face.AlmondEyes ? -side * U(rng, 0.05f, 0.3f) : 0f;
        canvas.Fill(new Ellipse(x, y, rx + 0.03f, ry + 0.03f, angle), at, NearBlack);
        canvas.Fill(new Ellipse(x, y, rx, ry, angle), at, iris);
        if (face.SlitPupils)
            canvas.Fill(new Ellipse(x, y, ry * U(rng, 0.15f, 0.4f), ry * 0.95f), at, NearBlack);
        else
            canvas.Fill(new Ellipse(x, y, ry * 0.6f, ry * 0.6f), at, NearBlack);
        canvas.Fill(new Ellipse(x + 0.3f * rx, y - 0.35f * ry, 0.03f * size, 0.03f * size), at, White, 0.9f);
    }

    private static void PaintSnout(Canvas canvas, Random rng, FaceTraits face, in Placement at, Rgb fur, float minHalfWidth)
    {
        float l = face.SnoutLength;
        var muzzle = fur.Mix(White, U(rng, 0f, 0.3f + face.SnoutLength * 0.5f));
        float muzzleY = 0.3f + l * 0.35f;
        float muzzleRx = 0.3f + l * 0.3f, muzzleRy = 0.18f + l * 0.4f;
        if (l > 0.2f || rng.NextDouble() < 0.5)
            canvas.Fill(new Ellipse(0f, muzzleY, muzzleRx, muzzleRy), at, muzzle);
        else
            for (int side = -1; side <= 1; side += 2)
                canvas.Fill(new Ellipse(side * 0.12f, muzzleY + 0.02f, 0.14f, 0.11f), at, muzzle);

        float noseY = muzzleY - muzzleRy * 0.55f;
        float n = face.NoseSize;
        var noseColor = face.PinkNose ? Palette.Pink(rng) : NearBlack.Mix(new Rgb(0.5f, 0.28f, 0.22f), (float)rng.NextDouble());
        if (face.TriangleNose)
            canvas.Fill(new Triangle(-n, noseY - n * 0.5f, n, noseY - n * 0.5f, 0f, noseY + n * 0.6f, n * 0.25f), at, noseColor);
        else
        {
            canvas.Fill(new Ellipse(0f, noseY, n, n * 0.7f), at, noseColor);
            canvas.Fill(new Ellipse(-n * 0.3f, noseY - n * 0.3f, n * 0.25f, n * 0.15f), at, White, 0.6f);
        }

        float lip = MathF.Max(minHalfWidth, 0.018f);
        float mouthTop = noseY + n * 0.6f, mouthY = mouthTop + 0.08f + l * 0.25f;
        if (face.Tongue)
            canvas.Fill(new Ellipse(U(rng, -0.05f, 0.05f), mouthY + 0.12f, U(rng, 0.08f, 0.13f), U(rng, 0.12f, 0.2f)), at, Palette.Pink(rng));
        var lineColor = NearBlack.Mix(fur, 0.25f);
        canvas.Fill(Stroke.Line(0f, mouthTop, 0f, mouthY, lip), at, lineColor, 0.9f);
        float mouthW = 0.1f + l * 0.25f;
        for (int side = -1; side <= 1; side += 2)
            canvas.Fill(new Stroke(0f, mouthY, side * mouthW * 0.5f, mouthY + 0.07f, side * mouthW, mouthY - 0.02f, lip), at, lineColor, 0.9f);

        if (face.WhiskersPerSide == 0) return;
        var whisker = rng.NextDouble() < 0.5 ? White : NearBlack;
        float opacity = U(rng, 0.6f, 1f);
        float w = MathF.Max(minHalfWidth, 0.012f);
        for (int side = -1; side <= 1; side += 2)
            for (int k = 0; k < face.WhiskersPerSide; k++)
            {
                float y0 = noseY + 0.08f + k * 0.06f;
                float x1 = side * (0.2f + face.WhiskerLength), y1 = y0 + (k - 1) * 0.15f + U(rng, -0.05f, 0.05f);
                canvas.Fill(new Stroke(side * 0.15f, y0, (side * 0.15f + x1) * 0.5f, (y0 + y1) * 0.5f - 0.06f, x1, y1, w), at, whisker, opacity);
            }
    }
}
