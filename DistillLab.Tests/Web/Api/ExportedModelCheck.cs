using System.Net.Http.Headers;
using DistillLab.Core.Export;
using DistillLab.Core.Insight;
using DistillLab.Core.Models;
using DistillLab.Core.Training;
using DistillLab.Tests.Core.Export;
using DistillLab.Web.Api;
using DistillLab.Web.Runs;
using static TorchSharp.torch;

using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Api;

/// <summary>Downloads a run's model through the API and checks it against what the run stored: the downloaded ONNX
/// file run in ONNX Runtime, and the safetensors file loaded back into TorchSharp, give the stored test logits.</summary>
internal static class ExportedModelCheck
{
    private const float Tolerance = 1e-4f;

    /// <summary>The stored test images of a run (uint8 NCHW in its folder) as the models take them.</summary>
    public static Tensor StoredImages(DashboardHost host, string runId, int imageSize, int count)
    {
        var bytes = File.ReadAllBytes(Path.Combine(host.DataDirectory, "runs", runId, "test-images.u8"));
        int perImage = 3 * imageSize * imageSize;
        Assert.True(bytes.Length >= count * perImage, $"the run stored {bytes.Length / perImage} test images, fewer than {count}");
        using var pixels = tensor(bytes.AsSpan(0, count * perImage).ToArray(), [count, 3, imageSize, imageSize]);
        return ModelInput.FromPixels(pixels);
    }

    public static TestLogits StoredLogits(DashboardHost host, string runId) =>
        global::DistillLab.Web.Runs.StoredLogits.Read(Path.Combine(host.DataDirectory, "runs", runId, global::DistillLab.Web.Runs.StoredLogits.FileName))
        ?? throw new Xunit.Sdk.XunitException($"Run {runId} stored no test logits.");

    public static float[][] Rows(TestLogits logits, ModelRole role) => role switch
    {
        ModelRole.Teacher => logits.Teacher,
        ModelRole.StudentScratch => logits.StudentScratch,
        _ => logits.StudentDistilled,
    };

    /// <summary>GET one model file; checks status, content type and download name, and returns the bytes.</summary>
    public static async Task<byte[]> DownloadAsync(HttpClient http, string runId, ModelRole role, ExportFormat format)
    {
        var response = await http.GetAsync(ModelExportApi.Url(runId, role, format));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(bytes)}");
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition ?? new ContentDispositionHeaderValue("none");
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal($"distilllab-{runId}-{ModelRoles.Key(role)}{ModelExport.Extension(format)}", disposition.FileNameStar ?? disposition.FileName);
        return bytes;
    }

    /// <summary>The downloaded ONNX model's logits on the stored test images equal the logits the run stored.</summary>
    public static async Task<float> OnnxMatchesStoredLogitsAsync(DashboardHost host, HttpClient http, string runId, ModelRole role, int imageSize, int count)
    {
        var onnx = await DownloadAsync(http, runId, role, ExportFormat.Onnx);
        using var images = StoredImages(host, runId, imageSize, count);
        var (actual, shape) = ExportTestModels.OnnxLogits(onnx, images);
        var expected = Rows(StoredLogits(host, runId), role).Take(count).SelectMany(r => r).ToArray();
        Assert.Equal(expected.Length, (int)(shape[0] * shape[1]));
        float difference = ExportTestModels.MaxDifference(expected, actual);
        Assert.True(difference <= Tolerance, $"{role}: ONNX differs from the stored logits by {difference} (> {Tolerance}).");
        return difference;
    }

    /// <summary>The downloaded safetensors file loads into TorchSharp and gives the stored logits.</summary>
    public static async Task<float> SafetensorsMatchesStoredLogitsAsync(DashboardHost host, HttpClient http, string runId, ModelRole role, int imageSize, int count)
    {
        var bytes = await DownloadAsync(http, runId, role, ExportFormat.Safetensors);
        var path = Path.Combine(host.DataDirectory, $"download-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, bytes);
        using var model = ModelExport.LoadSafetensors(path);
        using var images = StoredImages(host, runId, imageSize, count);
        var actual = ExportTestModels.TorchLogits(model, images);
        var expected = Rows(StoredLogits(host, runId), role).Take(count).SelectMany(r => r).ToArray();
        float difference = ExportTestModels.MaxDifference(expected, actual);
        Assert.True(difference <= Tolerance, $"{role}: the safetensors model differs from the stored logits by {difference}.");
        return difference;
    }
}
