namespace DistillLab.Core.Insight;

/// <summary>What one model's test-split logits show beyond its accuracy: how sure it is and how often rightly so
/// (NLL, calibration), which classes it mixes up, and for a student how closely it follows its teacher.
/// See docs/insight.md.</summary>
/// <param name="Accuracy">Fraction of test images predicted right (the same figure as the model's test accuracy).</param>
/// <param name="Nll">Negative log-likelihood: mean cross-entropy in nats (the model's test loss).</param>
/// <param name="Ece">Expected calibration error over <see cref="Calibration.DefaultBins"/> bins.</param>
/// <param name="Reliability">The reliability diagram behind <paramref name="Ece"/>, one entry per bin.</param>
/// <param name="AgreementWithTeacher">Students only: top-1 agreement with the teacher, 0 to 1.</param>
/// <param name="KlFromTeacher">Students only: mean KL(teacher || student) at T = 1, in nats.</param>
public sealed record ModelInsight(
    double Accuracy,
    double Nll,
    double Ece,
    IReadOnlyList<ReliabilityBin> Reliability,
    ConfusionMatrix Confusion,
    double? AgreementWithTeacher = null,
    double? KlFromTeacher = null)
{
    /// <summary>The insight of a model from its logits (float[N][C]) on labelled images; pass the teacher's logits
    /// for the same images to get a student's fidelity figures.</summary>
    public static ModelInsight Of(IReadOnlyList<float[]> logits, IReadOnlyList<int> labels, IReadOnlyList<string> classes,
        IReadOnlyList<float[]>? teacherLogits = null)
    {
        var calibration = Calibration.Of(logits, labels);
        return new ModelInsight(
            LogitMetrics.Accuracy(logits, labels),
            LogitMetrics.NegativeLogLikelihood(logits, labels),
            calibration.Ece,
            calibration.Bins,
            ConfusionMatrix.Of(logits, labels, classes),
            teacherLogits is null ? null : LogitMetrics.Agreement(teacherLogits, logits),
            teacherLogits is null ? null : LogitMetrics.MeanKlDivergence(teacherLogits, logits));
    }
}
