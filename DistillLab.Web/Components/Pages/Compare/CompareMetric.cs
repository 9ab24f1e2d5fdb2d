using DistillLab.Core.Experiments;
using DistillLab.Core.Training;

namespace DistillLab.Web.Components.Pages.Compare;

public enum CompareSplit { Train, Validation }

/// <summary>A per-epoch metric the Compare page can draw: its URL key, label, and how to read it off an epoch.</summary>
public sealed record CompareMetric(string Key, string Label, Func<EpochMetrics, CompareSplit, double?> Value, bool DistilledTrainOnly = false)
{
    public static readonly CompareMetric Accuracy = new("accuracy", "accuracy", (e, s) => s == CompareSplit.Train ? e.TrainAccuracy : e.ValAccuracy);
    public static readonly CompareMetric Loss = new("loss", "loss", (e, s) => s == CompareSplit.Train ? e.TrainLoss : e.ValLoss);
    // The two terms of the distiller's loss: measured on the distilled student's training batches only.
    public static readonly CompareMetric StudentLoss = new("student_loss", "student_loss", (e, _) => e.StudentLoss, DistilledTrainOnly: true);
    public static readonly CompareMetric DistillationLoss = new("distillation_loss", "distillation_loss", (e, _) => e.DistillationLoss, DistilledTrainOnly: true);

    public static readonly IReadOnlyList<CompareMetric> All = [Accuracy, Loss, StudentLoss, DistillationLoss];

    /// <summary>The metric for a URL key; accuracy for none or an unknown one.</summary>
    public static CompareMetric Parse(string? key) => All.FirstOrDefault(m => m.Key == key) ?? Accuracy;

    public IEnumerable<ModelRole> Models(IEnumerable<ModelRole> chosen) => DistilledTrainOnly ? [ModelRole.StudentDistilled] : chosen;

    public IEnumerable<CompareSplit> Splits(IEnumerable<CompareSplit> chosen) => DistilledTrainOnly ? [CompareSplit.Train] : chosen;
}
