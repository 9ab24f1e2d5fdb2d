using DistillLab.Core.Experiments;
using DistillLab.Web.Estimates;
using DistillLab.Web.Runs;
using DistillLab.Core.Training;

namespace DistillLab.Tests.Web.Estimates;

/// <summary>The arithmetic of a run's measured figures and of its time left (no torch, no timing).</summary>
public sealed class RunTimeLeftTests
{
    private static readonly DataSummary Data = new("synthetic", ["cat", "dog"], 800, 100, 100, new Dictionary<string, int>());
    private static readonly LabConfig Config = new() { TeacherEpochs = 2, StudentEpochs = 2 };

    // 800 training images at the given speed, then 100 validation images in valSeconds.
    private static EpochMetrics Epoch(int n, double ips, double valSeconds) => new(n, 0.7, 0.5, 0.7, 0.5, 800 / ips + valSeconds, ips);

    private static RunDetails Run(ModelView teacher, ModelView scratch, ModelView distilled, RunProgress? progress) =>
        new("r", RunStatus.Running, Config, true, DateTimeOffset.UtcNow)
        {
            StartedAt = DateTimeOffset.UtcNow, ImageSize = 64, Device = "cpu", Data = Data,
            Teacher = teacher, StudentScratch = scratch, StudentDistilled = distilled, Stage = "training", Progress = progress,
        };

    private static ModelView Trained(params EpochMetrics[] epochs) => new() { Parameters = 1000, History = epochs };

    [Fact]
    public void ARunsEpochsGiveItsSpeedsAndTheValidationShare()
    {
        // Scratch: 800 images at 200 img/s (4 s) and 100 validation images in 0.25 s: a forward pass per image is half a step.
        var run = Run(Trained(Epoch(1, 100, 0.5)), Trained(Epoch(1, 200, 0.25), Epoch(2, 200, 0.25)), Trained(Epoch(1, 50, 0.25)), null);
        var speed = RunFigures.Speed(run)!;
        Assert.Equal((100, 200, 50), (speed.TeacherImagesPerSecond, speed.StudentImagesPerSecond, speed.DistilledImagesPerSecond!.Value));
        Assert.Equal(0.5, speed.EvaluationShare, 6);
        Assert.Null(RunFigures.Speed(Run(Trained(Epoch(1, 100, 0.5)), Trained(), Trained(), null)));
    }

    [Fact]
    public void OverheadsAreTheRunsClockLessItsTrainedEpochsAndTests()
    {
        var started = DateTimeOffset.UtcNow;
        // Teacher reused: its copied epochs (8.5 s) are not this run's time. Scratch 2 x 4.25 s and distilled 16.25 s were.
        var run = Run(new ModelView { Parameters = 1000, TestAccuracy = 0.9, TestLoss = 0.3, History = [Epoch(1, 100, 0.5)], Reused = true }, Trained(Epoch(1, 200, 0.25), Epoch(2, 200, 0.25)),
            Trained(Epoch(1, 50, 0.25)), null) with { Status = RunStatus.Completed, StartedAt = started, FinishedAt = started.AddSeconds(40), TotalSeconds = 35 };
        var speed = new Throughput(100, 200) { EvaluationShare = 0.5 };
        var (loading, finishing) = RunFigures.Overheads(run, speed)!.Value;
        // Tests: 100 images x 0.5 x (1/100 + 2/200) = 1 s.
        Assert.Equal(35 - 8.5 - 16.25 - 1, loading.TotalSeconds, 6);
        Assert.Equal(5, finishing.TotalSeconds, 6);
    }

    [Fact]
    public void TimeLeftIsThePhasesRestThePhasesToComeAndFinishing()
    {
        // In the scratch phase with 10 s left; this run measured the teacher (100 img/s) and the scratch student (200 img/s, share 0.5).
        var run = Run(Trained(Epoch(1, 100, 0.5), Epoch(2, 100, 0.5)), Trained(Epoch(1, 200, 0.25)), Trained(),
            new RunProgress(ModelRole.StudentScratch, 2, 2, 5, 25, 10));
        // Distilled: the teacher's logits once (800 x 0.5/100 = 4 s), then 2 x (800 / 200 + 100 x 0.5/200) + 100 x 0.5/200 = 2 x 4.25 + 0.25.
        Assert.Equal(10 + 12.75 + 5, RunTimeLeft.Seconds(run, before: null, finishing: TimeSpan.FromSeconds(5))!.Value, 6);
    }

    [Fact]
    public void AReusedScratchStudentLeavesOnlyItsTestAndUnknownSpeedsGiveNoFigure()
    {
        var before = new Throughput(100, 200) { EvaluationShare = 0.5 };
        var teacherPhase = new RunProgress(ModelRole.Teacher, 1, 2, 5, 25, 20);
        var reusedScratch = Run(Trained(), new ModelView { Parameters = 100, History = [Epoch(1, 200, 0.25)], ReusedFrom = "earlier" }, Trained(), teacherPhase);
        // 20 s + scratch test (100 x 0.5 / 200) + distilled 12.75 s.
        Assert.Equal(20 + 0.25 + 12.75, RunTimeLeft.Seconds(reusedScratch, before, TimeSpan.Zero)!.Value, 6);

        var firstEver = Run(Trained(), Trained(), Trained(), teacherPhase);
        Assert.Null(RunTimeLeft.Seconds(firstEver, before: null, TimeSpan.Zero));
        Assert.Null(RunTimeLeft.Seconds(firstEver with { Progress = null }, before, TimeSpan.Zero));
    }
}
