using DistillLab.Core.Export;
using DistillLab.Core.Models;
using DistillLab.Tests.Core.Export;
using DistillLab.Tests.Support;
using DistillLab.Web.Api;
using DistillLab.Web.Runs;
using DistillLab.Web.Studies;

namespace DistillLab.Tests.Web.Studies;

/// <summary>A tiny study through the dashboard with Core's real StudyRunner: it trains, keeps its teachers for later
/// runs, and ends with a verdict.</summary>
[Collection(DashboardCollection.Name)]
public sealed class RealStudyTests
{
    [Fact]
    public async Task ATinyRealStudyTrainsOneTeacherPerSeedKeepsThemAndConfirmsTheBestSetting()
    {
        using var host = new DashboardHost();
        using var http = host.Http();
        var data = host.CreateImageFolder(perClass: 30);
        var id = await http.SubmitStudyAsync(new
        {
            data, imageSize = 46, teacherEpochs = 1, studentEpochs = 2, batchSize = 16,
            alpha = new[] { 0.1, 0.9 }, temperature = new[] { 2.0 }, seeds = 2, pruning = "halving",
        });
        var study = await http.WaitForStudyAsync(id, s => !s.IsActive, seconds: 300);

        Assert.True(study.Status == StudyStatus.Completed, study.Error);
        Assert.Equal([42, 43], study.Teachers.Select(t => t.Seed));
        Assert.All(study.Teachers, t => Assert.False(t.Reused));
        Assert.All(study.Teachers, t => Assert.Equal(1, t.History?.Count));
        Assert.Equal(2, study.Baseline.Count);
        Assert.Equal(4, study.Trials.Count);
        Assert.NotNull(study.Best);
        Assert.Equal(2, study.Best.Test.Distilled.Count);
        Assert.False(string.IsNullOrWhiteSpace(study.Best.Verdict));
        // The teachers stay for reuse and the best setting's students for download; the other trials' students are gone.
        var folder = Path.Combine(host.DataDirectory, "studies", id);
        Assert.Equal(["best-seed42.ckpt", "best-seed42.json", "best-seed43.ckpt", "best-seed43.json", "teacher-seed42.ckpt", "teacher-seed43.ckpt"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        // The trained best student of seed 43 downloads as ONNX that gives the kept checkpoint's logits.
        var onnx = await http.GetByteArrayAsync(StudyModelExportApi.Url(id, 43, ExportFormat.Onnx));
        using (var stored = ModelCheckpoint.LoadStudent(Path.Combine(folder, "best-seed43.ckpt")))
        using (var images = ExportTestModels.Images(32, 46, seed: 9))
        {
            var difference = ExportTestModels.MaxDifference(ExportTestModels.TorchLogits(stored, images), ExportTestModels.OnnxLogits(onnx, images).Logits);
            Assert.True(difference <= 1e-4f, $"the downloaded ONNX differs from the kept student by {difference}");
        }

        // A run with the study's base settings reuses seed 42's teacher (checked by the runner like any saved teacher).
        var runId = await host.SubmitAsync(http, new { data, imageSize = 46, teacherEpochs = 1, studentEpochs = 1, batchSize = 16, alpha = 0.5 });
        var run = await host.WaitForAsync(http, runId, r => !r.IsActive, 300);
        Assert.True(run.Status == RunStatus.Completed, run.Error);
        Assert.Equal($"{id}/seed-42", run.Teacher.ReusedFrom);
        Assert.True(run.Teacher.Reused);
    }
}
