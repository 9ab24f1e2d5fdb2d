using static DistillLab.Core.Data.Synthetic.FaceTraits;

namespace DistillLab.Core.Data.Synthetic;

/// <summary>The built-in data set: procedurally drawn cat and dog pictures (synthetic, not photos).</summary>
/// <remarks>Faces whose class shows in ear shape, snout, nose, eyes and whiskers, under nuisance variation
/// (position, scale, rotation, shared fur palette, cluttered backgrounds, occluders, exposure, noise); the scene (indoors or
/// outdoors) leans towards the class, and a few training labels are wrong.
/// See docs/synthetic-data.md.</remarks>
public static class SyntheticCatsDogs
{
    /// <summary>The default pool: 4,000 training, 2,000 validation and 2,000 test pictures (<see cref="Shares"/>).</summary>
    public const int DefaultCount = 8000;
    public static readonly IReadOnlyList<string> Classes = ["cat", "dog"];

    /// <summary>50/25/25: large validation and test splits, so that a difference of a few points between two students
    /// is larger than the splits' own sampling noise (docs/synthetic-data.md). Photos keep the lab's 80/10/10.</summary>
    public static readonly PoolSplit Shares = new(50, 25);

    /// <summary>How often a picture's scene is the one its class is usually photographed in: a cat's indoors, a dog's
    /// outdoors. A coarse cue, as real pet photos have, that gets every teacher off chance in its first epochs; alone it
    /// tells the classes apart about 3 times in 4 at best (docs/synthetic-data.md).</summary>
    public const double TypicalSceneRate = 0.75;

    /// <summary>Share of the training split's labels flipped to the other class; validation and test labels are never
    /// touched. The teacher learns past most of them, and its soft targets carry that to the distilled student, which
    /// the student from scratch, fitting the labels, does not have: knowledge worth distilling.</summary>
    public const double TrainingLabelNoise = 0.10;

    /// <summary>The split rule stored with models trained on this set. It names the shares and the label noise, so a model
    /// trained on the 5,000-picture set of before (80/10/10, all labels right) is recognised as foreign.</summary>
    public const string SplitRule = "seeded shuffle, 50/25/25; 10 % of training labels flipped";

    /// <summary>The set's split of <paramref name="pool"/> (<see cref="Shares"/>, shuffled with <paramref name="seed"/>), then
    /// <see cref="TrainingLabelNoise"/> of the training labels flipped (<see cref="FlipTrainingLabels"/>).</summary>
    public static (ImageSet Train, ImageSet Validation, ImageSet Test) Split(ImageSet pool, int seed)
    {
        var (train, validation, test) = Shares.Apply(pool, seed);
        FlipTrainingLabels(train, TrainingLabelNoise, seed);
        return (train, validation, test);
    }

    /// <summary>Flips exactly round(<paramref name="rate"/> × count) labels of <paramref name="train"/> (0 ↔ 1), at positions
    /// drawn with a seed derived from <paramref name="seed"/>; returns those positions in ascending order.</summary>
    internal static int[] FlipTrainingLabels(ImageSet train, double rate, int seed)
    {
        int flips = (int)Math.Round(train.Count * rate, MidpointRounding.AwayFromZero);
        // A seed no picture uses (pictures take indices 0 .. count - 1 < int.MaxValue).
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
