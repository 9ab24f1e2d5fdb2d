using DistillLab.Core.Experiments;
using DistillLab.Core.Training;

namespace DistillLab.Web.Components.Pages.Lab;

/// <summary>One line of a metrics chart: which model, which metric of its epochs, and how it is drawn.</summary>
public sealed record ChartSeries(string Name, ModelRole Model, Func<EpochMetrics, double?> Value, string Color, bool Dashed = false)
{
    public static readonly IReadOnlyDictionary<ModelRole, string> Colors = new Dictionary<ModelRole, string>
    {
        [ModelRole.Teacher] = "#6a1b9a",
        [ModelRole.StudentScratch] = "#ef6c00",
        [ModelRole.StudentDistilled] = "#1565c0",
    };

    public static IReadOnlyList<ChartSeries> Accuracy(params ModelRole[] models) => models.SelectMany(m => new[]
    {
        new ChartSeries($"{ModelRoles.Label(m)} train", m, e => e.TrainAccuracy, Colors[m], Dashed: true),
        new ChartSeries($"{ModelRoles.Label(m)} validation", m, e => e.ValAccuracy, Colors[m]),
    }).ToList();

    /// <summary>Cross-entropy against the true labels for every model, so the curves compare like with like: the
    /// distilled student's train curve is its student_loss, not the α-weighted sum it minimises (see <see cref="CombinedLoss"/>).</summary>
    public static IReadOnlyList<ChartSeries> Loss(params ModelRole[] models) => models.SelectMany(m => new[]
    {
        new ChartSeries($"{ModelRoles.Label(m)} train", m, TrainCrossEntropy(m), Colors[m], Dashed: true),
        new ChartSeries($"{ModelRoles.Label(m)} validation", m, e => e.ValLoss, Colors[m]),
    }).ToList();

    private static Func<EpochMetrics, double?> TrainCrossEntropy(ModelRole model) =>
        model == ModelRole.StudentDistilled ? e => e.StudentLoss : e => e.TrainLoss;

    /// <summary>What the distilled student minimises, α·student_loss + (1−α)·distillation_loss, beside its two terms.
    /// The reported distillation_loss already carries the T² factor when that switch is on.</summary>
    public static IReadOnlyList<ChartSeries> CombinedLoss(bool scaledByTemperatureSquared) =>
    [
        new("α·student + (1−α)·distillation", ModelRole.StudentDistilled, e => e.TrainLoss, Colors[ModelRole.StudentDistilled]),
        new("student_loss (vs labels)", ModelRole.StudentDistilled, e => e.StudentLoss, "#2e7d32", Dashed: true),
        new(scaledByTemperatureSquared ? "distillation_loss ×T² (vs teacher)" : "distillation_loss (vs teacher)",
            ModelRole.StudentDistilled, e => e.DistillationLoss, "#c62828", Dashed: true),
    ];
}
