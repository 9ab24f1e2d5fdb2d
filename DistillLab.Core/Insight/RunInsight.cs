namespace DistillLab.Core.Insight;

/// <summary>The insight figures of a run's three models on the test split; the students' include their fidelity to
/// the teacher, so distilled and scratch can be compared on it.</summary>
public sealed record RunInsight(ModelInsight Teacher, ModelInsight StudentScratch, ModelInsight StudentDistilled)
{
    public static RunInsight Of(TestLogits logits)
    {
        ArgumentNullException.ThrowIfNull(logits);
        return new RunInsight(
            ModelInsight.Of(logits.Teacher, logits.Labels, logits.Classes),
            ModelInsight.Of(logits.StudentScratch, logits.Labels, logits.Classes, logits.Teacher),
            ModelInsight.Of(logits.StudentDistilled, logits.Labels, logits.Classes, logits.Teacher));
    }
}
