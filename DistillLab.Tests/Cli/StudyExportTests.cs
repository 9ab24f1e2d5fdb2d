using System.Globalization;
using System.Text.Json;
using DistillLab.Core.Export;
using DistillLab.Core.Models;
using DistillLab.Core.Runtime;
using DistillLab.Core.Studies;
using DistillLab.Tests.Core.Export;
using DistillLab.Tests.Support;
using DistillLab.Web.Cli;
using Microsoft.ML.OnnxRuntime;

namespace DistillLab.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class StudyExportTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("dl-study-export-").FullName;
    private readonly StringWriter stdout = new(), stderr = new();

    public void Dispose() => Directory.Delete(root, recursive: true);

    private int Study(params string[] args) =>
        StudyCommand.Run(args, stdout, stderr, new CommandSettings(new TorchSettings(), Path.Combine(root, "data")));

    private static readonly string[] TinyStudy = ["--data", "synthetic", "--limit", "40", "--image-size", "48", "--teacher-epochs", "1",
        "--student-epochs", "1", "--batch-size", "8", "--device", "cpu", "--alpha", "0.1,0.9", "--temperature", "4", "--seeds", "2"];

    /// <summary>The exported files are the best setting's students: with --work the runner keeps every trial's checkpoint,
    /// and each seed's ONNX gives that seed's best-setting checkpoint's logits.</summary>
    [Fact]
    public void ATinyStudyExportsTheBestStudentOfEachSeedAsOnnxAndSafetensors()
    {
        string folder = Path.Combine(root, "exports", "study1"), work = Path.Combine(root, "work"), outPath = Path.Combine(root, "study.json");

        Assert.Equal(0, Study([.. TinyStudy, "--export", folder, "--work", work, "--out", outPath]));

        Assert.Equal(["best-seed42.onnx", "best-seed42.safetensors", "best-seed43.onnx", "best-seed43.safetensors"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.Contains($"best students exported to {folder}: best-seed42.onnx", stdout.ToString());
        var best = JsonDocument.Parse(File.ReadAllText(outPath)).RootElement.GetProperty("best");
        double alpha = best.GetProperty("alpha").GetDouble(), temperature = best.GetProperty("temperature").GetDouble();
        foreach (var seed in new[] { 42, 43 })
        {
            var onnx = File.ReadAllBytes(Path.Combine(folder, $"best-seed{seed}.onnx"));
            using (var session = new InferenceSession(onnx))
            {
                var props = session.ModelMetadata.CustomMetadataMap;
                Assert.Equal("studentDistilled", props["role"]);
                Assert.Equal(seed.ToString(CultureInfo.InvariantCulture), props["seed"]);
                Assert.Equal(alpha.ToString("R", CultureInfo.InvariantCulture), props["alpha"]);
                Assert.Equal("4", props["temperature"]);
                Assert.Equal("false", props["scale_by_temperature_squared"]);
                Assert.Equal("""["cat","dog"]""", props["class_names"]);
                Assert.Equal("48", props["image_size"]);
            }
            var trial = Path.Combine(work, StudyRunner.StudentFileName(new TrialKey(alpha, temperature, false, seed)));
            using var stored = ModelCheckpoint.LoadStudent(trial);
            using var images = ExportTestModels.Images(32, 48, seed: 1);
            var expected = ExportTestModels.TorchLogits(stored, images);
            float difference = ExportTestModels.MaxDifference(expected, ExportTestModels.OnnxLogits(onnx, images).Logits);
            Assert.True(difference <= 1e-4f, $"seed {seed}: the exported ONNX differs from the trial's checkpoint by {difference}");
            using var loaded = ModelExport.LoadSafetensors(Path.Combine(folder, $"best-seed{seed}.safetensors"));
            Assert.True(ExportTestModels.MaxDifference(expected, ExportTestModels.TorchLogits(loaded, images)) <= 1e-4f);
        }
    }

    [Fact]
    public void AnExportPathThatIsAFileExitsWithCode2BeforeTraining()
    {
        var file = Path.Combine(root, "taken");
        File.WriteAllText(file, "x");

        Assert.Equal(2, Study([.. TinyStudy, "--export", file]));

        Assert.Contains($"study: --export '{file}' is a file; give a folder", stderr.ToString());
        Assert.DoesNotContain("trial 1/", stdout.ToString());
    }

    [Fact]
    public void HelpNamesTheExportOption()
    {
        Assert.Equal(0, Study("--help"));
        Assert.Contains("--export", stdout.ToString());
        Assert.Contains("best-seed<N>.onnx", stdout.ToString());
    }
}
