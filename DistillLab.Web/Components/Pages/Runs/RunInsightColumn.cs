using DistillLab.Core.Insight;
using DistillLab.Web.Components.Widgets;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Components.Pages.Runs;

/// <summary>One of the Runs table's insight columns: a figure of the scratch or the distilled student, next to each
/// other per figure so the two compare at a glance. Runs without insight show a dash and sort first.</summary>
public sealed record RunInsightColumn(string Figure, string Model, string Description, Func<RunDetails, double?> Value, Func<double?, string> Format)
{
    public string Label => $"{Figure} ({Model})";

    public string Text(RunDetails run) => Format(Value(run));

    public static IReadOnlyList<RunInsightColumn> All { get; } =
    [
        .. Pair("Agreement", "Top-1 agreement with the teacher: how often the student predicts the teacher's class", m => m.AgreementWithTeacher, InsightText.Percent),
        .. Pair("KL", "Mean KL(teacher ‖ student) at T = 1, in nats: how far the student's probabilities are from the teacher's", m => m.KlFromTeacher, InsightText.Nats),
        .. Pair("ECE", "Expected calibration error over 15 confidence bins", m => m.Ece, InsightText.Percent),
        .. Pair("NLL", "Negative log-likelihood on the test split, in nats", m => m.Nll, InsightText.Nats),
    ];

    private static RunInsightColumn[] Pair(string figure, string description, Func<ModelInsight, double?> value, Func<double?, string> format) =>
    [
        new(figure, "scratch", description, r => r.Insight is { } i ? value(i.StudentScratch) : null, format),
        new(figure, "distilled", description, r => r.Insight is { } i ? value(i.StudentDistilled) : null, format),
    ];
}
