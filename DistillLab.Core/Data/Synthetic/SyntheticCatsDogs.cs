using static DistillLab.Core.Data.Synthetic.FaceTraits;

namespace DistillLab.Core.Data.Synthetic;

/// <summary>The built-in data set: procedurally drawn cat and dog pictures (synthetic, not photos).</summary>
/// <remarks>Faces whose class shows in ear shape, snout, nose, eyes and whiskers, under nuisance variation
/// (position, scale, rotation, shared fur palette, cluttered backgrounds, occluders, exposure, noise).
/// See docs/synthetic-data.md.</remarks>
public static class SyntheticCatsDogs
{
    /// <summary>The default pool: 4,000 training, 2,000 validation and 2,000 test pictures (<see cref="Shares"/>).</summary>
    public const int DefaultCount = 8000;
    public static readonly IReadOnlyList<string> Classes = ["cat", "dog"];

    /// <summary>50/25/25: large validation and test splits, so that a difference of a few points between two students
    /// is larger than the splits' own sampling noise (docs/synthetic-data.md). Photos keep the lab's 80/10/10.</summary>
    public static readonly PoolSplit Shares = new(50, 25);

    /// <summary>The split rule stored with models trained on this set: its shares differ from the lab's 80/10/10, so a
    /// model trained on the 5,000-picture set of before is recognised as foreign.</summary>
    public const string SplitRule = "seeded shuffle, 50/25/25";

    /// <summary>DRAFT probe knob (NOISE=rate): share of the training split's labels flipped; validation and test never.</summary>
    internal static double TrainingLabelNoise = Draft("DRAFT_NOISE");

    /// <summary>DRAFT: a knob read from the environment, so that two candidate sets can be studied side by side.</summary>
    internal static double Draft(string name)
        => Environment.GetEnvironmentVariable(name) is { } v ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <summary>The set's split of <paramref name="pool"/>, then <see cref="TrainingLabelNoise"/> of the training labels flipped.</summary>
    public static (ImageSet Train, ImageSet Validation, ImageSet Test) Split(ImageSet pool, int seed)
    {
        var (train, validation, test) = Shares.Apply(pool, seed);
        FlipTrainingLabels(train, TrainingLabelNoise, seed);
        return (train, validation, test);
    }

    /// <summary>Flips exactly round(<paramref name="rate"/> x count) labels of <paramref name="train"/> at seeded positions.</summary>
    internal static int[] FlipTrainingLabels(ImageSet train, double rate, int seed)
    {
        int flips = (int)Math.Round(train.Count * rate, MidpointRounding.AwayFromZero);
        var chosen = PoolSplit.Shuffled(train.Count, ImageSeed(seed, int.MaxValue))[..flips];
        Array.Sort(chosen);
        foreach (int i in chosen) train.Labels[i] = 1 - train.Labels[i];
        return chosen;
    }

    /// <summary>Share of pictures with something in front of the face.</summary>
    private const double OcclusionRate = 0.4;

    /// <summary>Draws <paramref name="count"/> RGB images (label 0 = cat, 1 = dog), deterministic per seed.</summary>
    /// <remarks>Labels alternate cat, dog, cat, ... so the classes are balanced; callers shuffle.
    /// Each picture has its own generator seeded from (seed, index), so the parallel loop gives the same bytes on every run.</remarks>
    public static ImageSet Generate(int count, int imageSize, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 8);
        const int channels = 3;
        int imageBytes = channels * imageSize * imageSize;
        var pixels = new byte[(long)count * imageBytes];
        var labels = new int[count];
        Parallel.For(0, count, () => new Canvas(imageSize), (index, _, canvas) =>
        {
            labels[index] = index % 2;
            Draw(canvas, new Random(ImageSeed(seed, index)), isDog: labels[index] == 1,
                pixels.AsSpan((int)((long)index * imageBytes), imageBytes));
            return canvas;
        }, _ => { });
        return new ImageSet(pixels, labels, channels, imageSize);
    }

    private static void Draw(Canvas canvas, Random rng, bool isDog, Span<byte> image)
    {
        ScenePainter.PaintBackground(canvas, rng, isDog);
        var face = isDog ? FaceTraits.Dog(rng) : FaceTraits.Cat(rng);
        // Head radius a fifth to a third of the picture; ears or whiskers may leave the frame.
        var at = new Placement(U(rng, 0.25f, 0.75f), U(rng, 0.34f, 0.7f), U(rng, 0.19f, 0.33f), U(rng, -0.4f, 0.4f));
        FacePainter.Paint(canvas, rng, face, at);
        if (rng.NextDouble() < OcclusionRate) ScenePainter.PaintOccluder(canvas, rng, at);
        ScenePainter.Develop(canvas, rng, image);
    }

    /// <summary>A well-mixed 32-bit seed from the set's seed and the picture's index (SplitMix64 finaliser);
    /// unlike HashCode.Combine it is the same in every process.</summary>
    internal static int ImageSeed(int seed, int index)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)index) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
