namespace DistillLab.Core.Insight;

/// <summary>Softmax and log-softmax of one row of logits, in double, after subtracting the row's largest logit:
/// exp never overflows, however large the logits.</summary>
public static class Softmax
{
    /// <summary>The class probabilities of one row of logits (T = 1).</summary>
    public static double[] Probabilities(ReadOnlySpan<float> logits)
    {
        double max = Max(logits), sum = 0;
        var probabilities = new double[logits.Length];
        for (int i = 0; i < logits.Length; i++) sum += probabilities[i] = Math.Exp(logits[i] - max);
        for (int i = 0; i < logits.Length; i++) probabilities[i] /= sum;
        return probabilities;
    }

    /// <summary>The natural log of each class probability; finite even where the probability itself underflows to 0.</summary>
    public static double[] LogProbabilities(ReadOnlySpan<float> logits)
    {
        double max = Max(logits), sum = 0;
        foreach (float logit in logits) sum += Math.Exp(logit - max);
        double logSum = max + Math.Log(sum);
        var logProbabilities = new double[logits.Length];
        for (int i = 0; i < logits.Length; i++) logProbabilities[i] = logits[i] - logSum;
        return logProbabilities;
    }

    /// <summary>The predicted class: the index of the largest logit, the first one on a tie (as torch's argmax).</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty) throw new ArgumentException("A row of logits needs at least one class.", nameof(logits));
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best]) best = i;
        return best;
    }

    private static double Max(ReadOnlySpan<float> logits) => logits[ArgMax(logits)];
}
