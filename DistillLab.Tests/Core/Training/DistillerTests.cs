using DistillLab.Core.Models;
using DistillLab.Core.Training;
using static TorchSharp.torch;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Training;

[Collection(TorchCollection.Name)]
public class DistillerTests
{
    private static Tensor Logits(float[,] values) => tensor(values);

    [Fact]
    public void LossIsAlphaWeightedSumOfStudentAndDistillationLoss()
    {
        // Expected values computed by hand (plain Python, math module) from the formulas in LAB.md.
        using var student = Logits(new float[,] { { 2.0f, 0.5f }, { 0.1f, 1.0f } });
        using var teacher = Logits(new float[,] { { 3.0f, -1.0f }, { 0.5f, 0.2f } });
        using var labels = tensor(new long[] { 0, 1 });

        var loss = Distiller.ComputeLoss(student, teacher, labels, alpha: 0.3, temperature: 2.0);

        Assert.Equal(0.2712835763574202, loss.StudentLoss.item<float>(), 5);
        Assert.Equal(0.0778445739792264, loss.DistillationLoss.item<float>(), 5);
        Assert.Equal(0.1358762746926845, loss.Total.item<float>(), 5);
    }

    [Fact]
    public void TemperatureSquaredScalingMultipliesOnlyTheDistillationTerm()
    {
        using var student = Logits(new float[,] { { 2.0f, 0.5f }, { 0.1f, 1.0f } });
        using var teacher = Logits(new float[,] { { 3.0f, -1.0f }, { 0.5f, 0.2f } });
        using var labels = tensor(new long[] { 0, 1 });

        var loss = Distiller.ComputeLoss(student, teacher, labels, 0.3, 2.0, scaleByTemperatureSquared: true);

        Assert.Equal(0.2712835763574202, loss.StudentLoss.item<float>(), 5);
        Assert.Equal(0.0778445739792264 * 4, loss.DistillationLoss.item<float>(), 5);
        Assert.Equal(0.29934988004905994, loss.Total.item<float>(), 5);
    }

    [Fact]
    public void ProbabilitiesAreClippedToKerasEpsilonInsideTheDivergence()
    {
        // Without the [1e-7, 1] clip the divergence would be about 60; with it, log(1/1e-7) - 1e-7*log(1e7).
        using var student = Logits(new float[,] { { -30f, 30f } });
        using var teacher = Logits(new float[,] { { 30f, -30f } });
        using var labels = tensor(new long[] { 1 });

        var loss = Distiller.ComputeLoss(student, teacher, labels, 0.0, 1.0);

        Assert.Equal(16.118094039148755, loss.DistillationLoss.item<float>(), 4);
        Assert.Equal(loss.DistillationLoss.item<float>(), loss.Total.item<float>(), 6);
    }

    [Fact]
    public void IdenticalTeacherAndStudentLogitsGiveZeroDistillationLoss()
    {
        using var logits = Logits(new float[,] { { 1f, 2f, 3f }, { -1f, 0f, 4f } });
        using var labels = tensor(new long[] { 2, 0 });
        var loss = Distiller.ComputeLoss(logits, logits, labels, 0.5, 5.0);
        Assert.Equal(0.0, loss.DistillationLoss.item<float>(), 6);
    }

    [Fact]
    public void DistillationUpdatesTheStudentOnlyAndLeavesTheTeacherBitIdentical()
    {
        manual_seed(7);
        using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, 48));
        using var student = new StudentNet(new ModelSpec(ModelKind.Student, 48));
        var teacherBefore = Snapshot(teacher);
        var studentBefore = Snapshot(student);
        var data = TinyData.Lab(train: 32);

        new Trainer(CPU, _ => { }, CancellationToken.None).Fit(student, DistillLab.Core.Training.ModelRole.StudentDistilled,
            data.Train, data.Validation, new TrainingOptions(1, 8, 1e-3, 1),
            new Distiller(teacher, student, 0.05, 5).Step);

        var teacherAfter = Snapshot(teacher);
        Assert.Equal(teacherBefore.Keys, teacherAfter.Keys);
        foreach (var (name, values) in teacherBefore)
            Assert.Equal(values, teacherAfter[name]);
        Assert.Contains(studentBefore, kv => !kv.Value.SequenceEqual(Snapshot(student)[kv.Key]));
        Assert.All(teacher.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void AlphaOneReducesDistillationToPlainCrossEntropyTraining()
    {
        var data = TinyData.Lab(train: 32);
        var options = new TrainingOptions(1, 8, 1e-3, 3);
        manual_seed(11);
        using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, 48));

        manual_seed(5);
        using var plain = new StudentNet(new ModelSpec(ModelKind.Student, 48));
        var plainHistory = new Trainer(CPU, _ => { }, default).Fit(plain, DistillLab.Core.Training.ModelRole.StudentScratch, data.Train, data.Validation, options);
        manual_seed(5);
        using var distilled = new StudentNet(new ModelSpec(ModelKind.Student, 48));
        var distilledHistory = new Trainer(CPU, _ => { }, default).Fit(distilled, DistillLab.Core.Training.ModelRole.StudentDistilled, data.Train, data.Validation, options,
            new Distiller(teacher, distilled, alpha: 1.0, temperature: 5).Step);

        foreach (var (name, values) in Snapshot(plain))
            Assert.Equal(values, Snapshot(distilled)[name], new FloatTolerance(1e-5f));
        Assert.Equal(plainHistory[0].TrainLoss, distilledHistory[0].TrainLoss, 5);
    }

    internal static Dictionary<string, float[]> Snapshot(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu().data<float>().ToArray());

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
