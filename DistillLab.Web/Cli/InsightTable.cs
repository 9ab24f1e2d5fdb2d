using DistillLab.Core.Insight;
using DistillLab.Core.Training;

namespace DistillLab.Web.Cli;

/// <summary>The insight figures of a run as a short terminal table: one row per model, the students' fidelity beside
/// the teacher's blanks.</summary>
internal static class InsightTable
{
    public static IEnumerable<string> Lines(RunInsight insight)
    {
        yield return "beyond accuracy, on the test split (nats; ECE over 15 bins; see docs/insight.md):";
        yield return $"{"model",-20} {"accuracy",9} {"NLL",8} {"ECE",7} {"agreement",10} {"KL(teacher||model)",19}";
        foreach (var (role, m) in new[] { (ModelRole.Teacher, insight.Teacher), (ModelRole.StudentScratch, insight.StudentScratch), (ModelRole.StudentDistilled, insight.StudentDistilled) })
            yield return $"{ConsoleProgress.Name(role),-20} {m.Accuracy,9:P2} {m.Nll,8:F4} {m.Ece,7:F4} " +
                         $"{(m.AgreementWithTeacher is { } a ? a.ToString("P2") : "-"),10} {(m.KlFromTeacher is { } kl ? kl.ToString("F4") : "-"),19}";
    }
}
