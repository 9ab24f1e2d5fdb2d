namespace DistillLab.Core.Data.Synthetic;

/// <summary>Colours the painter picks from. Fur is one palette for both classes, so colour never tells cat from dog.</summary>
internal static class Palette
{
    private static readonly Rgb[] Fur =
    [
        new(0.93f, 0.58f, 0.25f), // ginger
        new(0.55f, 0.55f, 0.57f), // grey
        new(0.12f, 0.11f, 0.11f), // black
        new(0.94f, 0.92f, 0.88f), // white
        new(0.45f, 0.29f, 0.16f), // brown
        new(0.90f, 0.80f, 0.60f), // cream
        new(0.78f, 0.58f, 0.36f), // tan
        new(0.28f, 0.19f, 0.13f), // dark brown
        new(0.66f, 0.60f, 0.52f), // fawn grey
    ];

    private static readonly Rgb[] BrightEyes =
    [
        new(0.45f, 0.72f, 0.25f), // green
        new(0.90f, 0.78f, 0.20f), // yellow
        new(0.85f, 0.55f, 0.15f), // amber
        new(0.45f, 0.65f, 0.92f), // blue
    ];

    private static readonly Rgb[] DarkEyes =
    [
        new(0.30f, 0.18f, 0.08f),
        new(0.45f, 0.28f, 0.12f),
        new(0.20f, 0.13f, 0.08f),
    ];

    /// <summary>A fur colour from the shared palette, jittered so no two animals match exactly.</summary>
    public static Rgb FurColor(Random rng) => Jitter(Fur[rng.Next(Fur.Length)], rng, 0.08f);

    /// <summary>Cats mostly have bright irises and dogs mostly dark ones, but both kinds occur in both classes.</summary>
    public static Rgb EyeColor(Random rng, bool mostlyBright)
    {
        bool bright = rng.NextDouble() < (mostlyBright ? 0.8 : 0.25);
        var pool = bright ? BrightEyes : DarkEyes;
        return Jitter(pool[rng.Next(pool.Length)], rng, 0.06f);
    }

    private static readonly Rgb[] Indoor =
    [
        new(0.86f, 0.78f, 0.64f), // beige wall
        new(0.55f, 0.37f, 0.22f), // wood
        new(0.74f, 0.46f, 0.36f), // terracotta
        new(0.92f, 0.88f, 0.78f), // cream
        new(0.58f, 0.44f, 0.50f), // mauve sofa
        new(0.50f, 0.44f, 0.38f), // carpet
    ];

    private static readonly Rgb[] Outdoor =
    [
        new(0.36f, 0.60f, 0.26f), // grass
        new(0.20f, 0.40f, 0.18f), // foliage
        new(0.55f, 0.75f, 0.95f), // sky
        new(0.80f, 0.88f, 0.96f), // pale sky
        new(0.58f, 0.63f, 0.58f), // path
        new(0.46f, 0.55f, 0.34f), // meadow
    ];

    /// <summary>A colour of an indoor or an outdoor scene, jittered.</summary>
    public static Rgb SceneColor(Random rng, bool outdoor)
    {
        var pool = outdoor ? Outdoor : Indoor;
        return Jitter(pool[rng.Next(pool.Length)], rng, 0.1f);
    }

    /// <summary>Any colour at all, for backgrounds, clutter and occluders.</summary>
    public static Rgb AnyColor(Random rng)
        => rng.NextDouble() < 0.3 ? FurColor(rng) : new((float)rng.NextDouble(), (float)rng.NextDouble(), (float)rng.NextDouble());

    public static Rgb Pink(Random rng) => Jitter(new(0.90f, 0.55f, 0.60f), rng, 0.08f);

    public static Rgb Jitter(Rgb c, Random rng, float amount)
    {
        float Next(float v) => Math.Clamp(v + ((float)rng.NextDouble() * 2f - 1f) * amount, 0f, 1f);
        return new(Next(c.R), Next(c.G), Next(c.B));
    }
}
