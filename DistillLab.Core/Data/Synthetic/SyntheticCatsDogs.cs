namespace DistillLab.Core.Data.Synthetic;

/// <summary>The built-in data set: procedurally drawn cat and dog pictures (synthetic, not photos).</summary>
public static class SyntheticCatsDogs
{
    public const int DefaultCount = 5000;
    public static readonly IReadOnlyList<string> Classes = ["cat", "dog"];

    /// <summary>Draws <paramref name="count"/> RGB images (label 0 = cat, 1 = dog), deterministic per seed.</summary>
    public static ImageSet Generate(int count, int imageSize, int seed)
        => throw new NotImplementedException("in progress on branch synth");
}
