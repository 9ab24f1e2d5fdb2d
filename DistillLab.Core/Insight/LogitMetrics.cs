namespace DistillLab.Core.Insight;

/// <summary>Figures computed from a model's logits on a set of images: accuracy and negative log-likelihood against
/// the true labels, agreement and KL divergence against a teacher's logits for the same images. Logits are
/// float[N][C] (N images, C classes); logs are natural, so NLL and KL are in nats.</summary>
public static class LogitMetrics
{
    /// <summary>The fraction of images whose predicted class (<see cref="Softmax.ArgMax"/>) is the true label.</summary>
    public static double Accuracy(IReadOnlyList<float[]> logits, IReadOnlyList<int> labels)
    {
        Check(logits, labels);
        int correct = 0;
        for (int i = 0; i < logits.Count; i++)
            if (Softmax.ArgMax(logits[i]) == labels[i]) correct++;
        return (double)correct / logits.Count;
    }

    /// <summary>Mean cross-entropy: the mean over images of -ln p(true label), the softmax at T = 1 (the lab's test loss).</summary>
    public static double NegativeLogLikelihood(IReadOnlyList<float[]> logits, IReadOnlyList<int> labels)
    {
        Check(logits, labels);
        double sum = 0;
        for (int i = 0; i < logits.Count; i++) sum -= Softmax.LogProbabilities(logits[i])[labels[i]];
        return sum / logits.Count;
    }

    /// <summary>Top-1 agreement: the fraction of images on which the student predicts the same class as the teacher,
    /// right or wrong.</summary>
    public static double Agreement(IReadOnlyList<float[]> teacher, IReadOnlyList<float[]> student)
    {
        CheckPair(teacher, student);
        int same = 0;
        for (int i = 0; i < teacher.Count; i++)
            if (Softmax.ArgMax(teacher[i]) == Softmax.ArgMax(student[i])) same++;
        return (double)same / teacher.Count;
    }

    /// <summary>Mean over images of KL(teacher softmax || student softmax) at T = 1, in nats: sum over classes of
    /// p_t * (ln p_t - ln p_s). 0 when the two give the same probabilities; never negative.</summary>
    public static double MeanKlDivergence(IReadOnlyList<float[]> teacher, IReadOnlyList<float[]> student)
    {
        CheckPair(teacher, student);
        double sum = 0;
        for (int i = 0; i < teacher.Count; i++)
        {
            var logT = Softmax.LogProbabilities(teacher[i]);
            var logS = Softmax.LogProbabilities(student[i]);
            for (int c = 0; c < logT.Length; c++)
            {
                double p = Math.Exp(logT[c]);
                if (p > 0) sum += p * (logT[c] - logS[c]); // a class the teacher rules out entirely adds nothing
            }
        }
        // Rounding can leave a sum of exact zeros a hair below 0; KL itself never is.
        return Math.Max(0, sum / teacher.Count);
    }

    /// <summary>Throws unless there is at least one image, one label per image, rows of one width and labels in range.</summary>
    internal static int Check(IReadOnlyList<float[]> logits, IReadOnlyList<int> labels)
    {
        int classes = CheckRows(logits, nameof(logits));
        if (labels.Count != logits.Count)
            throw new ArgumentException($"{logits.Count} rows of logits but {labels.Count} labels; each image needs one label.", nameof(labels));
        for (int i = 0; i < labels.Count; i++)
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentException($"Label {labels[i]} of image {i} is not a class index (0 to {classes - 1}).", nameof(labels));
        return classes;
    }

    private static void CheckPair(IReadOnlyList<float[]> teacher, IReadOnlyList<float[]> student)
    {
        int classes = CheckRows(teacher, nameof(teacher));
        if (CheckRows(student, nameof(student)) != classes || student.Count != teacher.Count)
            throw new ArgumentException($"The student's logits ({student.Count} x {student[0].Length}) must have the teacher's shape ({teacher.Count} x {classes}).", nameof(student));
    }

    private static int CheckRows(IReadOnlyList<float[]> logits, string name)
    {
        ArgumentNullException.ThrowIfNull(logits, name);
        if (logits.Count == 0) throw new ArgumentException("No images: at least one row of logits is needed.", name);
        int classes = logits[0].Length;
        if (classes == 0) throw new ArgumentException("A row of logits needs at least one class.", name);
        for (int i = 1; i < logits.Count; i++)
            if (logits[i].Length != classes)
                throw new ArgumentException($"Row {i} of the logits has {logits[i].Length} classes, row 0 has {classes}.", name);
        return classes;
    }
}
