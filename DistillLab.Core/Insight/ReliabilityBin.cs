namespace DistillLab.Core.Insight;

/// <summary>One bar of a reliability diagram: the images whose confidence lies in (<paramref name="Lower"/>,
/// <paramref name="Upper"/>] (the first bin also holds confidence 0), how many there are, their mean confidence and
/// the fraction of them predicted right. A well-calibrated model's bars sit on the diagonal: accuracy = confidence.</summary>
/// <param name="MeanConfidence">null for an empty bin.</param>
/// <param name="Accuracy">null for an empty bin.</param>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double? MeanConfidence, double? Accuracy);
