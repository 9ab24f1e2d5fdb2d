using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DistillLab.Core.Export;
using DistillLab.Core.Models;
using DistillLab.Tests.Core.Export;
using DistillLab.Tests.Support;
using DistillLab.Web.Api;
using DistillLab.Web.Studies;
using Microsoft.ML.OnnxRuntime;

namespace DistillLab.Tests.Web.Studies;

/// <summary>GET /api/studies/{id}/models/best-seed{N}.onnx|.safetensors around scripted studies whose best students
/// are real (untrained, seeded) networks: what a download holds, and every error it gives.</summary>
[Collection(DashboardCollection.Name)]
public sealed class StudyModelExportApiTests
{
    private const float Tolerance = 1e-4f;

    [Fact]
    public async Task ACompletedStudyKeepsOneBestStudentPerSeedAndItsOnnxGivesTheStoredStudentsLogits()
    {
        using var host = StudyHostExtensions.Host(new ScriptedStudyEngine());
        using var http = host.Http();
        var id = await http.SubmitStudyAsync(StudyHostExtensions.TinyStudy());
        var study = await http.WaitForStudyAsync(id, s => !s.IsActive);
        Assert.Equal(StudyStatus.Completed, study.Status);

        var folder = Path.Combine(host.DataDirectory, "studies", id);
        Assert.Equal(["best-seed42.ckpt", "best-seed42.json", "best-seed43.ckpt", "best-seed43.json"],
            Directory.GetFiles(folder, "best-*").Select(Path.GetFileName).Order());
        foreach (var seed in new[] { 42, 43 })
        {
            var onnx = await DownloadAsync(http, id, seed, ExportFormat.Onnx);
            using var stored = ModelCheckpoint.LoadStudent(Path.Combine(folder, $"best-seed{seed}.ckpt"));
            using var images = ExportTestModels.Images(32, 46, seed: 3);
            var expected = ExportTestModels.TorchLogits(stored, images);
            var (actual, shape) = ExportTestModels.OnnxLogits(onnx, images);
            Assert.Equal([32L, 2L], shape);
            float difference = ExportTestModels.MaxDifference(expected, actual);
            Assert.True(difference <= Tolerance, $"seed {seed}: ONNX differs from the stored student by {difference}");

            using var session = new InferenceSession(onnx);
            var props = session.ModelMetadata.CustomMetadataMap;
            Assert.Equal("studentDistilled", props["role"]);
            Assert.Equal(seed.ToString(), props["seed"]);
            Assert.Equal(study.Best!.Alpha.ToString("R", System.Globalization.CultureInfo.InvariantCulture), props["alpha"]);
            Assert.Equal(study.Best.Temperature.ToString("R", System.Globalization.CultureInfo.InvariantCulture), props["temperature"]);
            Assert.Equal("false", props["scale_by_temperature_squared"]);
            Assert.Equal("""["cat","dog"]""", props["class_names"]);
            Assert.Equal("46", props["image_size"]);

            // The safetensors file loads back into TorchSharp with the same weights.
            var path = Path.Combine(host.DataDirectory, $"best-{seed}.safetensors");
            File.WriteAllBytes(path, await DownloadAsync(http, id, seed, ExportFormat.Safetensors));
            using var loaded = ModelExport.LoadSafetensors(path);
            Assert.True(ExportTestModels.MaxDifference(expected, ExportTestModels.TorchLogits(loaded, images)) <= Tolerance);
        }
        // Seeds' students differ (each starts from its seed's weights): the files are not one model twice.
        Assert.NotEqual(await DownloadAsync(http, id, 42, ExportFormat.Safetensors), await DownloadAsync(http, id, 43, ExportFormat.Safetensors));
    }

    [Theory]
    [InlineData("best-seed44.onnx")]
    [InlineData("best-seed042.onnx")]
    [InlineData("best.onnx")]
    [InlineData("studentDistilled.onnx")]
    [InlineData("best-seed42.pt")]
    public async Task AFileThatIsNotOneOfTheStudysSeedsIs404ListingTheFilesItHas(string file)
    {
        using var host = StudyHostExtensions.Host(new ScriptedStudyEngine());
        using var http = host.Http();
        var id = await http.SubmitStudyAsync(StudyHostExtensions.TinyStudy());
        await http.WaitForStudyAsync(id, s => !s.IsActive);

        var problem = await ProblemAsync(http, $"/api/studies/{id}/models/{file}", HttpStatusCode.NotFound);
        Assert.Equal("No such model file", problem.GetProperty("title").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("best-seed42.onnx, best-seed42.safetensors, best-seed43.onnx, best-seed43.safetensors", detail);
    }

    [Fact]
    public async Task AnUnknownStudyIs404()
    {
        using var host = StudyHostExtensions.Host(new ScriptedStudyEngine());
        using var http = host.Http();
        var problem = await ProblemAsync(http, "/api/studies/no-such-study/models/best-seed42.onnx", HttpStatusCode.NotFound);
        Assert.Equal("Study not found", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AStudyStillRunningIs409AndItsFilesComeOnceCompleted()
    {
        var engine = new ScriptedStudyEngine { HoldAfterTrials = 1 };
        using var host = StudyHostExtensions.Host(engine);
        using var http = host.Http();
        var id = await http.SubmitStudyAsync(StudyHostExtensions.TinyStudy());
        await engine.Held.Task.WaitAsync(TimeSpan.FromSeconds(60));
        try
        {
            var problem = await ProblemAsync(http, StudyModelExportApi.Url(id, 42, ExportFormat.Onnx), HttpStatusCode.Conflict);
            Assert.Equal("Study not completed", problem.GetProperty("title").GetString());
            Assert.Contains("running", problem.GetProperty("detail").GetString());
        }
        finally
        {
            engine.Release();
        }
        await http.WaitForStudyAsync(id, s => !s.IsActive);
        Assert.NotEmpty(await DownloadAsync(http, id, 42, ExportFormat.Onnx));
    }

    [Fact]
    public async Task AStudyCompletedWithoutABestSettingIs409()
    {
        using var host = StudyHostExtensions.Host(new ScriptedStudyEngine { WithoutBest = true });
        using var http = host.Http();
        var id = await http.SubmitStudyAsync(StudyHostExtensions.TinyStudy());
        var study = await http.WaitForStudyAsync(id, s => !s.IsActive);
        Assert.Equal(StudyStatus.Completed, study.Status);

        var problem = await ProblemAsync(http, StudyModelExportApi.Url(id, 43, ExportFormat.Safetensors), HttpStatusCode.Conflict);
        Assert.Equal("No best setting", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task ABestStudentWhoseFilesAreGoneIs404()
    {
        using var host = StudyHostExtensions.Host(new ScriptedStudyEngine());
        using var http = host.Http();
        var id = await http.SubmitStudyAsync(StudyHostExtensions.TinyStudy());
        await http.WaitForStudyAsync(id, s => !s.IsActive);
        File.Delete(Path.Combine(host.DataDirectory, "studies", id, "best-seed43.ckpt"));

        var problem = await ProblemAsync(http, StudyModelExportApi.Url(id, 43, ExportFormat.Onnx), HttpStatusCode.NotFound);
        Assert.Equal("Model not stored", problem.GetProperty("title").GetString());
        Assert.Contains("seed 43", problem.GetProperty("detail").GetString());
        Assert.NotEmpty(await DownloadAsync(http, id, 42, ExportFormat.Onnx));
    }

    private static async Task<byte[]> DownloadAsync(HttpClient http, string id, int seed, ExportFormat format)
    {
        var response = await http.GetAsync(StudyModelExportApi.Url(id, seed, format));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes)}");
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition ?? new ContentDispositionHeaderValue("none");
        Assert.Equal($"distilllab-{id}-best-seed{seed}{ModelExport.Extension(format)}", disposition.FileNameStar ?? disposition.FileName);
        return bytes;
    }

    private static async Task<JsonElement> ProblemAsync(HttpClient http, string url, HttpStatusCode status)
    {
        var response = await http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{url}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }
}
