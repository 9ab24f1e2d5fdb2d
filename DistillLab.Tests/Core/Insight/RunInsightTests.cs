using DistillLab.Tests.Support;
using DistillLab.Core.Insight;
using static DistillLab.Tests.Core.Insight.Logits;

namespace DistillLab.Tests.Core.Insight;

public class RunInsightTests
{
    private static readonly string[] Classes = ["cat", "dog"];
    private static readonly int[] Labels = [0, 1, 1, 0];
    private static readonly float[][] Teacher = [Two(0.9), Two(0.15), Two(0.1), Two(0.75)]; // predicts 0, 1, 1, 0: all right

    [Fact]
    public void AStudentsInsightCarriesItsFidelityToTheTeacherAndTheTeachersDoesNot()
    {
        float[][] scratch = [Two(0.6), Two(0.6), Two(0.1), Two(0.75)]; // predicts 0, 0, 1, 0: one wrong, one disagreement
        var insight = RunInsight.Of(new TestLogits(Classes, Labels, Teacher, scratch, Teacher));

        Assert.Null(insight.Teacher.AgreementWithTeacher);
        Assert.Null(insight.Teacher.KlFromTeacher);
        Assert.Equal(1.0, insight.Teacher.Accuracy);

        Assert.Equal(0.75, insight.StudentScratch.Accuracy);
        Assert.Equal(0.75, insight.StudentScratch.AgreementWithTeacher);
        // KL(0.9, 0.1 || 0.6, 0.4) = 0.9 ln 1.5 + 0.1 ln 0.25 = 0.3649186 - 0.1386294 = 0.2262892;
        // KL(0.15, 0.85 || 0.6, 0.4) = 0.15 ln 0.25 + 0.85 ln 2.125 = -0.2079442 + 0.6407060 = 0.4327619; the others are 0.
        Assert.Equal((0.2262892 + 0.4327619) / 4, insight.StudentScratch.KlFromTeacher!.Value, 1e-6);
        Assert.Equal([[2, 0], [1, 1]], insight.StudentScratch.Confusion.Counts);

        // A student with the teacher's logits agrees everywhere and is 0 nats away.
        Assert.Equal(1.0, insight.StudentDistilled.AgreementWithTeacher);
        Assert.Equal(0.0, insight.StudentDistilled.KlFromTeacher);
    }

    [Fact]
    public void AModelsInsightHoldsItsAccuracyNllEceReliabilityAndConfusion()
    {
        var insight = ModelInsight.Of(Teacher, Labels, Classes);
        Assert.Equal(1.0, insight.Accuracy);
        // p(true) = 0.9, 0.85, 0.9, 0.75: (0.1053605 * 2 + 0.1625189 + 0.2876821) / 4
        Assert.Equal((0.1053605 * 2 + 0.1625189 + 0.2876821) / 4, insight.Nll, 1e-6);
        // All right (accuracy 1 in every bin); bin 13 holds 0.9 twice, bin 12 0.85, bin 11 0.75:
        // ECE = (0.1 * 2 + 0.15 + 0.25) / 4 = 0.15.
        Assert.Equal(0.15, insight.Ece, 1e-6);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 0], insight.Reliability.Select(b => b.Count));
        Assert.Equal([[2, 0], [0, 2]], insight.Confusion.Counts);
    }
}
