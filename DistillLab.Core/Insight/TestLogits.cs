namespace DistillLab.Core.Insight;

/// <summary>The three models' logits on every image of the test split, in the split's order, with the true labels:
/// what <see cref="RunInsight"/> is computed from, kept so that a caller can store them (softmax at any temperature
/// can be recomputed from logits, never from probabilities). Too large for the run's JSON report.</summary>
/// <param name="Labels">The true class of each test image, an index into <paramref name="Classes"/>.</param>
/// <param name="Teacher">float[N][C]: one row of C logits per test image.</param>
public sealed record TestLogits(
    IReadOnlyList<string> Classes,
    int[] Labels,
    float[][] Teacher,
    float[][] StudentScratch,
    float[][] StudentDistilled);
