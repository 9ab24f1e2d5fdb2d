using DistillLab.Core.Experiments;
using DistillLab.Core.Studies;
using DistillLab.Tests.Support;
using DistillLab.Web.Studies;
using Microsoft.Extensions.DependencyInjection;

namespace DistillLab.Tests.Web.Studies;

/// <summary>The Studies page's duration estimate after a study has finished: it takes that study's own epoch speeds
/// (not a measurement, which ran about 4 times slower at a fresh start than the study it estimated).</summary>
[Collection(DashboardCollection.Name)]
public sealed class StudyEstimatesTests
{
    [Fact]
    public async Task AfterAStudyTheEstimateUsesItsEpochSpeedsAndAddsUpItsPhases()
    {
        using var host = StudyHostExtensions.Host(new ScriptedStudyEngine());
        using var http = host.Http();
        var id = await http.SubmitStudyAsync(StudyHostExtensions.TinyStudy());
        Assert.Equal(StudyStatus.Completed, (await http.WaitForStudyAsync(id, s => !s.IsActive)).Status);

        // The same space on seeds 7 and 8, whose teachers nobody kept: both are trained.
        var config = new StudyConfig
        {
            Base = new LabConfig { Data = "synthetic", Limit = 60, ImageSize = 46, TeacherEpochs = 1, StudentEpochs = 1, BatchSize = 16, Seed = 7 },
            Alpha = StudyValues.Of(0.1, 0.5), Temperature = StudyValues.Of(2, 5), Seeds = 2,
        };
        var answer = host.Services.GetRequiredService<StudyEstimates>().Estimate(config, poolImages: 1000);

        Assert.True(answer.Estimate is not null, answer.Pending);
        var estimate = answer.Estimate;
        Assert.Equal($"study {id}'s epochs", estimate.Run.SpeedSource);
        // Every scripted epoch trained at 100 img/s and took 0.1 s.
        Assert.Equal(100, estimate.Run.Speed.TeacherImagesPerSecond);
        Assert.Equal(100, estimate.Run.Speed.StudentImagesPerSecond);
        Assert.Equal(100, estimate.Run.Speed.DistilledImagesPerSecond);
        // 60 synthetic images split 30/15/15 (the set's 50/25/25); 0.1 s is less than the 0.3 s of training alone, so the validation share is the floor, 0.02.
        Assert.Equal(0.02, estimate.Run.Speed.EvaluationShare, 9);
        Assert.Equal((2, 2, 8L), (estimate.TeachersToTrain, estimate.Seeds, estimate.Trials));

        // By hand, 10 ms a training image, 0.2 ms a validation or test image:
        // teacher or scratch student: 30 × 10 ms + 15 × 0.2 ms (validation) + 15 × 0.2 ms (test) = 0.306 s;
        // the teacher's logits over 30 images: 30 × 0.2 ms = 0.006 s, once per seed;
        // finishing as a run's (no run on this data yet): 3 models' passes over 15 + 55 images, 70 × 0.2 ms × 3 = 0.042 s.
        double seconds = 0.042 + 0.306 * 2 /* teachers */ + 0.306 * 2 /* baselines */ + 0.306 * 8 /* trials */ + 0.006 * 2;
        // 3.726 s; each phase is a TimeSpan (100 ns ticks), so the sum may be a few ticks short.
        Assert.Equal(3.726, seconds, 9);
        Assert.Equal(seconds, estimate.Total.TotalSeconds, 5);
    }
}
