using DistillLab.Tests.Support;
using DistillLab.Core.Studies;
using DistillLab.Core.Training;
using static TorchSharp.torch;

namespace DistillLab.Tests.Core.Studies;

/// <summary>The parts of a study run apart, as the job engine runs them on separate workers, give the numbers the
/// runner gives in one process (the TinyStudy fixture).</summary>
[Collection(TorchCollection.Name)]
public sealed class StudyStepsTests(TinyStudy study) : IClassFixture<TinyStudy>
{
    [Fact]
    public void ATeacherBaselineAndTrialRunApartFromStoredLogitsGiveTheRunnersNumbers()
    {
        var steps = new StudySteps(TinyStudy.Config, TinyStudy.Data(), CPU, _ => { }, CancellationToken.None);
        byte[] stored;
        using (var teacher = steps.TrainTeacher(43))
        {
            Assert.Equal(study.Result.Teachers.Single(t => t.Seed == 43).TestAccuracy, steps.Test(teacher));
            using var logits = steps.Logits(teacher);
            stored = logits.ToBytes();
        }

        // Another worker: fresh parts over the same data, the teacher's logits from their bytes only.
        var elsewhere = new StudySteps(TinyStudy.Config, TinyStudy.Data(), CPU, _ => { }, CancellationToken.None);
        var baseline = elsewhere.Baseline(43);
        using var fromBytes = TeacherLogits.FromBytes(stored, CPU);
        var expected = study.Result.Trials.Last(t => t.Seed == 43);
        var (trial, student) = elsewhere.Trial(expected.Key, fromBytes);
        using var _ = student;

        var runnerBaseline = study.Result.Baseline.Single(b => b.Seed == 43);
        Assert.Equal(runnerBaseline.History.Select(e => (e.TrainLoss, e.ValAccuracy)), baseline.History.Select(e => (e.TrainLoss, e.ValAccuracy)));
        Assert.Equal(runnerBaseline.TestAccuracy, baseline.TestAccuracy);
        Assert.Equal((TrialStatus.Completed, expected.Epochs), (trial.Status, trial.Epochs));
        Assert.Equal(expected.History.Select(e => (e.TrainLoss, e.ValAccuracy, e.DistillationLoss)),
            trial.History.Select(e => (e.TrainLoss, e.ValAccuracy, e.DistillationLoss)));
        Assert.NotNull(student);
    }
}
