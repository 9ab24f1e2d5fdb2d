using DistillLab.Tests.Support;
using System.Net.Http.Json;
using DistillLab.Core.Studies;
using DistillLab.Web.Runs;
using DistillLab.Web.Studies;

namespace DistillLab.Tests.Web.Studies;

/// <summary>A study survives a restart, and the teachers it trains are kept for later studies and runs.</summary>
[Collection(DashboardCollection.Name)]
public sealed class StudyResumeTests
{
    [Fact]
    public async Task AfterARestartTheStudyGoesOnWithTheTrialsLeftAndTrainsNothingTwice()
    {
        var folder = Path.Combine(Path.GetTempPath(), "distilllab-resume-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string id;
            var first = new ScriptedStudyEngine { HoldAfterTrials = 3 };
            using (var host = StudyHostExtensions.Host(first, folder))
            {
                using var http = host.Http();
                id = await http.SubmitStudyAsync(StudyHostExtensions.TinyStudy());
                await first.Held.Task.WaitAsync(TimeSpan.FromSeconds(60));
                var midway = await http.WaitForStudyAsync(id, s => s.Trials.Count == 3);
                Assert.Equal(StudyStatus.Running, midway.Status);
            } // the server stops mid-study, as a restart would

            var second = new ScriptedStudyEngine();
            using (var host = StudyHostExtensions.Host(second, folder))
            {
                using var http = host.Http();
                var study = await http.WaitForStudyAsync(id, s => !s.IsActive);
                Assert.Equal(StudyStatus.Completed, study.Status);
                Assert.Equal(8, study.Trials.Count);
                Assert.Equal(8, study.Trials.Select(t => t.Key).Distinct().Count());
                // The first server trained seed 42's teacher, baseline and 3 trials; the second only what was left.
                Assert.Equal(first.Trained, study.Trials.Take(3).Select(t => t.Key));
                Assert.Equal(5, second.Trained.Count);
                Assert.Empty(second.Trained.Intersect(first.Trained));
                // Seed 42's teacher was trained before the stop and is not trained again; seed 43's comes after.
                Assert.Equal([42], first.TeachersTrained);
                Assert.Equal([43], second.TeachersTrained);
                Assert.Empty(second.TeachersReused);
                Assert.NotNull(study.Best);
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ALaterStudyAndARunReuseTheTeachersAStudyTrained()
    {
        var engine = new ScriptedStudyEngine();
        using var host = StudyHostExtensions.Host(engine);
        using var http = host.Http();
        var first = await http.SubmitStudyAsync(StudyHostExtensions.TinyStudy());
        await http.WaitForStudyAsync(first, s => !s.IsActive);
        Assert.Equal([42, 43], engine.TeachersTrained);

        // Another space over the same base settings: the same teachers.
        var second = await http.SubmitStudyAsync(new
        {
            data = "synthetic", limit = 60, imageSize = 46, teacherEpochs = 1, studentEpochs = 1, batchSize = 16,
            alpha = new[] { 0.9 }, temperature = new[] { 10.0 }, seeds = 2,
        });
        var study = await http.WaitForStudyAsync(second, s => !s.IsActive);
        Assert.Equal([42, 43], engine.TeachersReused);
        Assert.Equal([$"{first}/seed-42", $"{first}/seed-43"], study.Teachers.Select(t => t.ReusedFrom));
        Assert.All(study.Teachers, t => Assert.True(t.Reused));

        // A single run with the base seed's settings reuses seed 42's teacher.
        var runId = await host.SubmitAsync(http, new { data = "synthetic", limit = 60, imageSize = 46, teacherEpochs = 1, studentEpochs = 1, batchSize = 16, alpha = 0.3 });
        var run = await host.WaitForAsync(http, runId, r => !r.IsActive);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal($"{first}/seed-42", run.Teacher.ReusedFrom);
        Assert.Null(run.StudentScratch.ReusedFrom);
    }
}
