using DistillLab.Core.Insight;
using DistillLab.Web.Components.Widgets;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Components.Pages.Runs;

/// <summary>One of the Runs table's insight columns: a figure of the distilled student over the scratch student's.
/// It sorts by the distilled student's figure: a retune reuses the scratch student, so that is the one that moves.
/// Runs without insight show a dash and sort first.</summary>
public sealed record RunInsightColumn(string Figure, string Description, Func<ModelInsight, double?> Value, Func<double?, string> Format)
{
    public string Label => $"{Figure} (distilled / scratch)";

    public double? Distilled(RunDetails run) => run.Insight is { } i ? Value(i.StudentDistilled) : null;

    public string DistilledText(RunDetails run) => Format(Distilled(run));

    public string ScratchText(RunDetails run) => Format(run.Insight is { } i ? Value(i.StudentScratch) : null);

    public static IReadOnlyList<RunInsightColumn> All { get; } =
    [
        new("Agreement", "Top-1 agreement with the teacher: how often the student predicts the teacher's class", m => m.AgreementWithTeacher, InsightText.Percent),
        new("KL", "Mean KL(teacher ‖ student) at T = 1, in nats: how far the student's probabilities are from the teacher's", m => m.KlFromTeacher, InsightText.Nats),
        new("ECE", "Expected calibration error over 15 confidence bins", m => m.Ece, InsightText.Percent),
        new("NLL", "Negative log-likelihood on the test split, in nats", m => m.Nll, InsightText.Nats),
    ];
}
