using DistillLab.Tests.Support;
using System.Text.Json;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Insight;
using static TorchSharp.torch;

namespace DistillLab.Tests.Core.Insight;

[Collection(TorchCollection.Name)]
public class LabInsightTests
{
    [Fact]
    public void ARunsInsightAgreesWithItsTestFiguresAndCoversEveryTestImage()
    {
        var data = TinyData.Lab();
        var config = new LabConfig { Data = "tiny", TeacherEpochs = 2, StudentEpochs = 2, BatchSize = 16, Seed = 3 };
        using var outcome = new LabRunner(new LabEnvironment(Path.GetTempPath())).Run(config, data, CPU, _ => { }, default);
        var result = outcome.Result;
        var insight = Assert.IsType<RunInsight>(result.Insight);

        foreach (var (model, tested) in new[] { (insight.Teacher, result.Teacher), (insight.StudentScratch, result.StudentScratch), (insight.StudentDistilled, result.StudentDistilled) })
        {
            Assert.Equal(tested.TestAccuracy, model.Accuracy);
            Assert.Equal(tested.TestLoss, model.Nll, 1e-5); // the test loss is summed in float32, the NLL in double
            Assert.Equal(data.Classes, model.Confusion.Classes);
            Assert.Equal(data.Test.Count, model.Confusion.Counts.Sum(row => row.Sum()));
            Assert.Equal(data.Test.Count, model.Reliability.Sum(b => b.Count));
            Assert.InRange(model.Ece, 0, 1);
        }
        Assert.Null(insight.Teacher.AgreementWithTeacher);
        foreach (var student in new[] { insight.StudentScratch, insight.StudentDistilled })
        {
            Assert.InRange(student.AgreementWithTeacher!.Value, 0, 1);
            Assert.True(student.KlFromTeacher >= 0, $"KL {student.KlFromTeacher}");
        }

        // The logits behind the figures come with the outcome, one row per test image in the split's order.
        var logits = Assert.IsType<TestLogits>(outcome.TestLogits);
        Assert.Equal(data.Test.Labels, logits.Labels);
        Assert.All(new[] { logits.Teacher, logits.StudentScratch, logits.StudentDistilled }, rows =>
        {
            Assert.Equal(data.Test.Count, rows.Length);
            Assert.All(rows, row => Assert.Equal(2, row.Length));
        });
        Assert.Equal(JsonSerializer.Serialize(insight), JsonSerializer.Serialize(RunInsight.Of(logits)));
    }
}
