using DistillLab.Core.Studies;
using DistillLab.Core.Training;
using DistillLab.Web.Studies;

namespace DistillLab.Tests.Web.Studies;

/// <summary>A finished study's own speeds, from hand-made epochs: means over every teacher, baseline and trial epoch.</summary>
public sealed class StudySpeedsTests
{
    private static EpochMetrics Epoch(double imagesPerSecond, double seconds = 1) => new(1, 0.5, 0.5, 0.5, 0.5, seconds, imagesPerSecond);

    private static StudyDetails Study(IReadOnlyList<BaselineResult>? baseline = null) =>
        StudyDetails.Queued("study-1", new StudyConfig()) with
        {
            Status = StudyStatus.Completed,
            Teachers = [new StudyTeacher(42, 0.9, false, null, [Epoch(200), Epoch(300)]), new StudyTeacher(43, 0.9, true, "run-1", [Epoch(400)])],
            // 800 training images at 1000 img/s take 0.8 s: 0.02 s left for 100 validation images, 0.2 of a training step's
            // 1 ms per image; at 1250 img/s, 0.64 s + 0.02 s: 0.25 of 0.8 ms.
            Baseline = baseline ?? [new BaselineResult(42, 0.6, 0.6, [Epoch(1000, 0.82)]), new BaselineResult(43, 0.6, 0.6, [Epoch(1250, 0.66)])],
            Trials =
            [
                new TrialResult(0.5, 2, false, 42, TrialStatus.Completed, 2, 0.6, [Epoch(900), Epoch(1100)]),
                new TrialResult(0.5, 2, false, 43, TrialStatus.Pruned, 1, 0.6, [Epoch(1000)]),
            ],
        };

    [Fact]
    public void SpeedsAreTheMeansOverEveryEpochOfEachKindOfModel()
    {
        var speed = StudySpeeds.Of(Study())!;

        Assert.Equal(300, speed.TeacherImagesPerSecond, 9);      // (200 + 300 + 400) / 3
        Assert.Equal(1125, speed.StudentImagesPerSecond, 9);     // (1000 + 1250) / 2
        Assert.Equal(1000, speed.DistilledImagesPerSecond!.Value, 9); // (900 + 1100 + 1000) / 3
        Assert.Equal(1.0 / 3, speed.EvaluationShare, 9);          // split sizes unknown: the default share
    }

    [Fact]
    public void WithTheSplitSizesTheBaselinesEpochSecondsGiveTheValidationShare()
    {
        var speed = StudySpeeds.Of(Study(), trainImages: 800, validationImages: 100)!;

        Assert.Equal((0.2 + 0.25) / 2, speed.EvaluationShare, 9);
    }

    [Fact]
    public void AStudyWithoutBaselineEpochsHasNoSpeeds() =>
        Assert.Null(StudySpeeds.Of(Study(baseline: [new BaselineResult(42, 0.6, 0.6, [])])));
}
