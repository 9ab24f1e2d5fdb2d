using static DistillLab.Core.Data.Synthetic.FaceTraits;

namespace DistillLab.Core.Data.Synthetic;

/// <summary>Everything in a picture that is not the class: background, clutter, occluders, camera effects.</summary>
internal static class ScenePainter
{
    /// <summary>A gradient between two colours of an indoor scene (walls, wood, carpet) or an outdoor one (grass, foliage,
    /// sky), half the time with stripes or checks, then clutter. The scene is the class's usual one (a cat's indoors, a
    /// dog's outdoors) <see cref="SyntheticCatsDogs.TypicalSceneRate"/> of the time.</summary>
    public static void PaintBackground(Canvas canvas, Random rng, bool isDog)
    {
        bool outdoor = isDog == rng.NextDouble() < SyntheticCatsDogs.TypicalSceneRate;
        var a = Palette.SceneColor(rng, outdoor);
        var b = rng.NextDouble() < 0.5 ? Palette.SceneColor(rng, outdoor) : a.Scale(U(rng, 0.6f, 1.15f));
        float angle = U(rng, 0f, MathF.Tau), dx = MathF.Cos(angle), dy = MathF.Sin(angle);
        int texture = rng.Next(4); // 0, 1: none; 2: stripes; 3: checks
        float amplitude = U(rng, 0.03f, 0.12f), frequency = U(rng, 4f, 18f);
        int n = canvas.Size;
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++)
            {
                float px = (x + 0.5f) / n - 0.5f, py = (y + 0.5f) / n - 0.5f;
                float t = Math.Clamp(px * dx + py * dy + 0.5f, 0f, 1f);
                float shade = texture switch
                {
                    2 => amplitude * MathF.Sin(frequency * MathF.Tau * (px * dy - py * dx)),
                    3 => amplitude * MathF.Sign(MathF.Sin(frequency * MathF.PI * px) * MathF.Sin(frequency * MathF.PI * py)),
                    _ => 0f,
                };
                int i = y * n + x;
                canvas.R[i] = a.R + (b.R - a.R) * t + shade;
                canvas.G[i] = a.G + (b.G - a.G) * t + shade;
                canvas.B[i] = a.B + (b.B - a.B) * t + shade;
            }

        int clutter = rng.Next(1, 8);
        for (int k = 0; k < clutter; k++)
            PaintRandomShape(canvas, rng, new Placement(U(rng, -0.05f, 1.05f), U(rng, -0.05f, 1.05f), U(rng, 0.04f, 0.25f), U(rng, 0f, MathF.Tau)), U(rng, 0.4f, 1f));
    }

    /// <summary>Something in front of the animal: a box or a blob that hides part of the face.</summary>
    public static void PaintOccluder(Canvas canvas, Random rng, in Placement face)
    {
        face.ToPicture(U(rng, -1.3f, 1.3f), U(rng, -1.5f, 1.3f), out float x, out float y);
        var at = new Placement(x, y, face.Scale * U(rng, 0.35f, 0.7f), U(rng, 0f, MathF.Tau));
        PaintRandomShape(canvas, rng, at, 1f);
    }

    private static void PaintRandomShape(Canvas canvas, Random rng, in Placement at, float opacity)
    {
        var color = Palette.AnyColor(rng);
        switch (rng.Next(5))
        {
            case 0:
                canvas.Fill(new Ellipse(0f, 0f, 1f, U(rng, 0.3f, 1f)), at, color, opacity);
                break;
            case 1:
                canvas.Fill(new Box(0f, 0f, 1f, U(rng, 0.2f, 1f), U(rng, 0f, 0.2f)), at, color, opacity);
                break;
            case 2:
                canvas.Fill(new Triangle(-1f, 0.6f, 1f, 0.6f, U(rng, -0.8f, 0.8f), -U(rng, 0.5f, 1.2f), 0.02f), at, color, opacity);
                break;
            case 3:
                canvas.Fill(new Stroke(-1f, 0f, 0f, U(rng, -0.8f, 0.8f), 1f, U(rng, -0.3f, 0.3f), U(rng, 0.03f, 0.12f)), at, color, opacity);
                break;
            default: // A blob: a few overlapping discs.
                for (int k = 0; k < 4; k++)
                    canvas.Fill(new Ellipse(U(rng, -0.5f, 0.5f), U(rng, -0.5f, 0.5f), U(rng, 0.3f, 0.6f), U(rng, 0.3f, 0.6f)), at, color, opacity);
                break;
        }
    }

    /// <summary>Exposure, contrast and saturation jitter plus sensor noise, then rounding into the image's bytes (NCHW).</summary>
    public static void Develop(Canvas canvas, Random rng, Span<byte> image)
    {
        float brightness = U(rng, -0.12f, 0.12f), contrast = U(rng, 0.7f, 1.3f), saturation = U(rng, 0.6f, 1.2f);
        float noise = U(rng, 0.005f, 0.06f);
        int plane = canvas.Size * canvas.Size;
        for (int i = 0; i < plane; i++)
        {
            float r = canvas.R[i], g = canvas.G[i], b = canvas.B[i];
            float grey = 0.299f * r + 0.587f * g + 0.114f * b;
            r = grey + (r - grey) * saturation; g = grey + (g - grey) * saturation; b = grey + (b - grey) * saturation;
            image[i] = ToByte((r - 0.5f) * contrast + 0.5f + brightness + noise * Gaussian(rng));
            image[plane + i] = ToByte((g - 0.5f) * contrast + 0.5f + brightness + noise * Gaussian(rng));
            image[2 * plane + i] = ToByte((b - 0.5f) * contrast + 0.5f + brightness + noise * Gaussian(rng));
        }
    }

    private static byte ToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);

    private static float Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
