using DistillLab.Core.Experiments;

namespace DistillLab.Web.Components.Widgets;

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
        new ChartSeries($"{Training.ModelRoles.Label(m)} train", m, e => e.TrainAccuracy, Colors[m], Dashed: true),
        new ChartSeries($"{Training.ModelRoles.Label(m)} validation", m, e => e.ValAccuracy, Colors[m]),
    }).ToList();

    public static IReadOnlyList<ChartSeries> Loss(params ModelRole[] models) => models.SelectMany(m => new[]
    {
        new ChartSeries($"{Training.ModelRoles.Label(m)} train", m, e => e.TrainLoss, Colors[m], Dashed: true),
        new ChartSeries($"{Training.ModelRoles.Label(m)} validation", m, e => e.ValLoss, Colors[m]),
    }).ToList();

    public static readonly IReadOnlyList<ChartSeries> DistillationTerms =
    [
        new("student_loss", ModelRole.StudentDistilled, e => e.StudentLoss, "#2e7d32"),
        new("distillation_loss", ModelRole.StudentDistilled, e => e.DistillationLoss, "#c62828", Dashed: true),
    ];
}
