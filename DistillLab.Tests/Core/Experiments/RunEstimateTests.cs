using DistillLab.Core.Experiments;

namespace DistillLab.Tests.Core.Experiments;

/// <summary>The estimate's arithmetic for a given throughput: no timing, no torch.</summary>
public sealed class RunEstimateTests
{
    // Teacher 100 img/s, student 200 img/s; a forward pass costs a quarter of a training step.
    private static readonly Throughput Speed = new(100, 200) { EvaluationShare = 0.25 };
    private static readonly LabConfig Config = new() { TeacherEpochs = 3, StudentEpochs = 2 };

    [Fact]
    public void EachPhaseIsItsEpochsOfTrainingAndValidationPlusItsTest()
    {
        var e = RunEstimate.Of(Config, trainImages: 800, validationImages: 100, testImages: 100, Speed);

        // Teacher: 3 x (800 / 100 + 100 x 0.25 / 100) + 100 x 0.25 / 100 = 3 x 8.25 + 0.25.
        Assert.Equal(25.0, e.Teacher.TotalSeconds, 3);
        // Scratch: 2 x (800 / 200 + 100 x 0.25 / 200) + 100 x 0.25 / 200 = 2 x 4.125 + 0.125.
        Assert.Equal(8.375, e.Scratch.TotalSeconds, 3);
        // Distilled: one teacher forward pass over the training images (its cached logits: 800 x 0.25 / 100 = 2 s),
        // then the scratch student's epochs and test.
        Assert.Equal(2 + 2 * (800 / 200.0 + 0.125) + 0.125, e.Distilled.TotalSeconds, 3);
        Assert.Equal(e.Teacher + e.Scratch + e.Distilled, e.Total);
    }

    [Fact]
    public void AReusedTeacherOrScratchStudentCostsOnlyItsTest()
    {
        var trained = RunEstimate.Of(Config, 800, 100, 100, Speed);
        var reused = RunEstimate.Of(Config with { TeacherPath = "teacher.ckpt", ScratchPath = "scratch.ckpt" }, 800, 100, 100, Speed);

        Assert.Equal(0.25, reused.Teacher.TotalSeconds, 6);
        Assert.Equal(0.125, reused.Scratch.TotalSeconds, 6);
        Assert.Equal(trained.Distilled, reused.Distilled);
        Assert.Equal(trained.Total.TotalSeconds - 24.75 - 8.25, reused.Total.TotalSeconds, 3);
    }

    [Fact]
    public void AMeasuredDistilledSpeedReplacesTheDerivedOne()
    {
        var e = RunEstimate.Of(Config, 800, 100, 100, Speed with { DistilledImagesPerSecond = 80 });
        Assert.Equal(2 + 2 * (800 / 80.0 + 0.125) + 0.125, e.Distilled.TotalSeconds, 3);
        Assert.Equal(RunEstimate.Estimate(Config, 800, 100, 100, Speed with { DistilledImagesPerSecond = 80 }), e.Total);
    }
}
