using System.Net;
using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Core.Export;
using DistillLab.Core.Insight;
using DistillLab.Core.Training;
using DistillLab.Web.Api;
using DistillLab.Web.Predictions;
using DistillLab.Web.Runs;
using Xunit.Abstractions;

using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Api;

/// <summary>One dashboard with a finished scripted run whose three (untrained, seeded) models and test logits are real.</summary>
public sealed class ScriptedInsightRunFixture : IAsyncLifetime
{
    public ScriptedEngine Scripted { get; } = new(epochs: 1, batches: 1, batchMilliseconds: 1);
    public DashboardHost Host { get; private set; } = default!;
    public HttpClient Http { get; private set; } = default!;
    public RunDetails Run { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Host = new DashboardHost(new ScriptedInsightEngine(Scripted));
        Http = Host.Http();
        var id = await Host.SubmitAsync(Http, new { });
        Run = await Host.WaitForAsync(Http, id, r => !r.IsActive);
        Assert.Equal(RunStatus.Completed, Run.Status);
    }

    public Task DisposeAsync()
    {
        Http.Dispose();
        Host.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The insight in GET /api/runs/{id}, the models as ONNX and safetensors, and one image's logits: what each
/// answers, and every error it gives.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ModelExportApiTests(ScriptedInsightRunFixture fixture, ITestOutputHelper output) : IClassFixture<ScriptedInsightRunFixture>
{
    private HttpClient Http => fixture.Http;
    private string Id => fixture.Run.Id;
    // ScriptedEngine's images: 46 px, 8 test images.
    private const int Size = 46, TestImages = 8;

    [Fact]
    public async Task RunApiHasEachModelsInsightUnderTheLabReportsFieldNames()
    {
        var insight = JsonDocument.Parse(await Http.GetStringAsync($"/api/runs/{Id}")).RootElement.GetProperty("insight");
        // The same figures, recomputed here from the stored logits, written as `lab --out` writes them.
        var expected = JsonSerializer.SerializeToElement(RunInsight.Of(ExportedModelCheck.StoredLogits(fixture.Host, Id)), LabReport.JsonOptions);
        Assert.True(JsonElement.DeepEquals(expected, insight), $"API insight {insight} differs from the lab report's {expected}");

        var distilled = insight.GetProperty("studentDistilled");
        foreach (var name in new[] { "accuracy", "nll", "ece", "reliability", "confusion", "agreementWithTeacher", "klFromTeacher" })
            Assert.True(distilled.TryGetProperty(name, out _), $"studentDistilled has no '{name}'");
        Assert.False(insight.GetProperty("teacher").TryGetProperty("agreementWithTeacher", out _));
        Assert.Equal(Calibration.DefaultBins, distilled.GetProperty("reliability").GetArrayLength());
        Assert.Equal("""["cat","dog"]""", distilled.GetProperty("confusion").GetProperty("classes").GetRawText());
        // Every test image lands in one cell of the confusion matrix.
        Assert.Equal(TestImages, distilled.GetProperty("confusion").GetProperty("counts").EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt32()));
    }

    [Theory]
    [InlineData(ModelRole.Teacher)]
    [InlineData(ModelRole.StudentScratch)]
    [InlineData(ModelRole.StudentDistilled)]
    public async Task DownloadedModelsGiveTheRunsStoredLogits(ModelRole role)
    {
        float onnx = await ExportedModelCheck.OnnxMatchesStoredLogitsAsync(fixture.Host, Http, Id, role, Size, TestImages);
        float safetensors = await ExportedModelCheck.SafetensorsMatchesStoredLogitsAsync(fixture.Host, Http, Id, role, Size, TestImages);
        output.WriteLine($"{role}: largest difference from the stored logits: ONNX {onnx:E2}, safetensors {safetensors:E2}");
    }

    [Theory]
    [InlineData("assistant.onnx")]
    [InlineData("teacher.pt")]
    [InlineData("Teacher.onnx")]
    [InlineData("studentDistilled")]
    public async Task AModelFileNotInTheListIs404NamingTheAllowedFiles(string file)
    {
        var problem = await ProblemAsync($"/api/runs/{Id}/models/{file}", HttpStatusCode.NotFound);
        Assert.Equal("No such model file", problem.GetProperty("title").GetString());
        Assert.Contains("teacher.onnx", problem.GetProperty("detail").GetString());
        Assert.Contains("studentDistilled.safetensors", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnUnknownRunIs404()
    {
        var problem = await ProblemAsync("/api/runs/no-such-run/models/teacher.onnx", HttpStatusCode.NotFound);
        Assert.Equal("Run not found", problem.GetProperty("title").GetString());
        await ProblemAsync("/api/runs/no-such-run/logits/0", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AModelWhoseFileIsGoneIs404()
    {
        var id = await fixture.Host.SubmitAsync(Http, new { });
        await fixture.Host.WaitForAsync(Http, id, r => !r.IsActive);
        File.Delete(Path.Combine(fixture.Host.DataDirectory, "runs", id, "studentScratch.pt"));

        var problem = await ProblemAsync($"/api/runs/{id}/models/studentScratch.safetensors", HttpStatusCode.NotFound);
        Assert.Equal("Model not stored", problem.GetProperty("title").GetString());
        Assert.Contains("studentScratch", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(ModelExportApi.Url(id, ModelRole.Teacher, ExportFormat.Onnx))).StatusCode);
    }

    [Fact]
    public async Task ARunThatIsNotFinishedIs409()
    {
        fixture.Scripted.HoldAfterFirstEpochOf = ModelRole.Teacher;
        // Without reuse: a reused teacher would not train, and so never stop after its first epoch.
        var id = await fixture.Host.SubmitAsync(Http, new { reuseTeacher = false });
        try
        {
            await fixture.Scripted.Held.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var problem = await ProblemAsync($"/api/runs/{id}/models/teacher.onnx", HttpStatusCode.Conflict);
            Assert.Equal("Run not finished", problem.GetProperty("title").GetString());
            Assert.Contains("running", problem.GetProperty("detail").GetString());
            await ProblemAsync($"/api/runs/{id}/logits/0", HttpStatusCode.Conflict);
            // The role is checked before the state: a wrong name is wrong whatever the run is doing.
            await ProblemAsync($"/api/runs/{id}/models/nobody.onnx", HttpStatusCode.NotFound);
        }
        finally
        {
            fixture.Scripted.HoldAfterFirstEpochOf = null;
            fixture.Scripted.Release();
        }
        Assert.Equal(RunStatus.Completed, (await fixture.Host.WaitForAsync(Http, id, r => !r.IsActive)).Status);
    }

    [Fact]
    public async Task OneImagesLogitsAreTheStoredRowsWithItsTrueLabel()
    {
        var stored = ExportedModelCheck.StoredLogits(fixture.Host, Id);
        var response = await Http.GetAsync($"/api/runs/{Id}/logits/3");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var image = JsonSerializer.Deserialize<ImageLogits>(text, DashboardHost.Json)!;
        Assert.Equal(3, image.Index);
        Assert.Equal(stored.Labels[3], image.Truth);
        Assert.Equal(stored.Classes[stored.Labels[3]], image.TrueLabel);
        Assert.Equal(stored.Teacher[3], image.Teacher);
        Assert.Equal(stored.StudentScratch[3], image.StudentScratch);
        Assert.Equal(stored.StudentDistilled[3], image.StudentDistilled);
        Assert.Equal(fixture.Run.Config.Temperature, image.RunTemperature);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(image.ImageUrl)).StatusCode);

        var problem = await ProblemAsync($"/api/runs/{Id}/logits/{TestImages}", HttpStatusCode.NotFound);
        Assert.Contains($"test image {TestImages}", problem.GetProperty("detail").GetString());
        await ProblemAsync($"/api/runs/{Id}/logits/-1", HttpStatusCode.NotFound);
    }

    private async Task<JsonElement> ProblemAsync(string url, HttpStatusCode status)
    {
        var response = await Http.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{url}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }
}
