namespace DistillLab.Core.Insight;

/// <summary>How well a model's confidence matches how often it is right: the expected calibration error and the
/// reliability diagram behind it (Guo et al., 2017, "On Calibration of Modern Neural Networks").</summary>
/// <remarks>An image's confidence is its largest softmax probability (T = 1). The interval [0, 1] is cut into
/// equal-width bins; bin b (0-based) of B holds the confidences in (b/B, (b+1)/B], lower edge excluded, upper edge
/// included, and the first bin also holds confidence 0. ECE = sum over bins of |accuracy - mean confidence| * n_bin / N,
/// so empty bins add nothing.</remarks>
/// <param name="Ece">The expected calibration error, between 0 (perfectly calibrated) and 1.</param>
public sealed record Calibration(double Ece, IReadOnlyList<ReliabilityBin> Bins)
{
    /// <summary>The lab's bin count: 15, as Guo et al.</summary>
    public const int DefaultBins = 15;

    /// <summary>Calibration of a model from its logits (float[N][C]) and the true labels.</summary>
    public static Calibration Of(IReadOnlyList<float[]> logits, IReadOnlyList<int> labels, int bins = DefaultBins)
    {
        LogitMetrics.Check(logits, labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var counts = new int[bins];
        var correct = new int[bins];
        var confidenceSums = new double[bins];
        for (int i = 0; i < logits.Count; i++)
        {
            int predicted = Softmax.ArgMax(logits[i]);
            double confidence = Softmax.Probabilities(logits[i])[predicted];
            int bin = BinOf(confidence, bins);
            counts[bin]++;
            confidenceSums[bin] += confidence;
            if (predicted == labels[i]) correct[bin]++;
        }

        double ece = 0;
        var result = new ReliabilityBin[bins];
        for (int b = 0; b < bins; b++)
        {
            if (counts[b] == 0)
            {
                result[b] = new ReliabilityBin(Edge(b, bins), Edge(b + 1, bins), 0, null, null);
                continue;
            }
            double meanConfidence = confidenceSums[b] / counts[b], accuracy = (double)correct[b] / counts[b];
            ece += Math.Abs(accuracy - meanConfidence) * counts[b] / logits.Count;
            result[b] = new ReliabilityBin(Edge(b, bins), Edge(b + 1, bins), counts[b], meanConfidence, accuracy);
        }
        return new Calibration(ece, result);
    }

    /// <summary>The bin (0-based) of <paramref name="confidence"/>: the b with b/B &lt; confidence &lt;= (b+1)/B, or 0 for
    /// confidence 0. The edges are compared as the doubles b/B, so a confidence equal to an edge goes below it.</summary>
    public static int BinOf(double confidence, int bins)
    {
        if (!(confidence is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "A confidence is a probability, between 0 and 1.");
        int bin = Math.Clamp((int)Math.Ceiling(confidence * bins) - 1, 0, bins - 1);
        // confidence * B is rounded, so next to an edge the guess can be one bin off; the edges decide.
        while (bin > 0 && confidence <= Edge(bin, bins)) bin--;
        while (bin < bins - 1 && confidence > Edge(bin + 1, bins)) bin++;
        return bin;
    }

    private static double Edge(int index, int bins) => (double)index / bins;
}
