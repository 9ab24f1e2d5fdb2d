namespace DistillLab.Core.Insight;

/// <summary>Counts of (true class, predicted class) pairs: Counts[t][p] images of class t were predicted as p.
/// Rows are true classes, columns predicted ones, both in the order of <paramref name="Classes"/>; the diagonal is
/// what the model got right.</summary>
public sealed record ConfusionMatrix(IReadOnlyList<string> Classes, int[][] Counts)
{
    /// <summary>The confusion matrix of a model from its logits (float[N][C]), the true labels and the C class names.</summary>
    public static ConfusionMatrix Of(IReadOnlyList<float[]> logits, IReadOnlyList<int> labels, IReadOnlyList<string> classes)
    {
        int count = LogitMetrics.Check(logits, labels);
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Count != count)
            throw new ArgumentException($"{classes.Count} class names for logits of {count} classes.", nameof(classes));
        var counts = new int[count][];
        for (int t = 0; t < count; t++) counts[t] = new int[count];
        for (int i = 0; i < logits.Count; i++) counts[labels[i]][Softmax.ArgMax(logits[i])]++;
        return new ConfusionMatrix(classes.ToArray(), counts);
    }
}
