using DistillLab.Tests.Support;
using DistillLab.Core.Export;
using DistillLab.Core.Models;
using DistillLab.Core.Runtime;
using DistillLab.Tests.Core;
using DistillLab.Web.Cli;
using Microsoft.ML.OnnxRuntime;

namespace DistillLab.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class LabExportTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("dl-cli-export-").FullName;
    private readonly StringWriter stdout = new(), stderr = new();

    public void Dispose() => Directory.Delete(root, recursive: true);

    private int Lab(params string[] args) =>
        LabCommand.Run(args, stdout, stderr, new CommandSettings(new TorchSettings(), Path.Combine(root, "data")));

    private static readonly string[] TinyRun = ["--data", "synthetic", "--limit", "40", "--image-size", "48",
        "--teacher-epochs", "1", "--student-epochs", "1", "--batch-size", "8", "--device", "cpu", "--seed", "5"];

    [Fact]
    public void ATinyRunExportsAllThreeModelsAsOnnxAndSafetensorsIntoANewFolder()
    {
        var folder = Path.Combine(root, "exports", "run1");

        Assert.Equal(0, Lab([.. TinyRun, "--export", folder]));

        Assert.Equal(["studentDistilled.onnx", "studentDistilled.safetensors", "studentScratch.onnx", "studentScratch.safetensors",
            "teacher.onnx", "teacher.safetensors"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.Contains($"models exported to {folder}", stdout.ToString());
        foreach (var role in new[] { "teacher", "studentScratch", "studentDistilled" })
        {
            using var session = new InferenceSession(Path.Combine(folder, role + ".onnx"));
            var props = session.ModelMetadata.CustomMetadataMap;
            Assert.Equal(role, props["role"]);
            Assert.Equal("5", props["seed"]);
            Assert.Equal("synthetic", props["data"]);
            Assert.Equal("""["cat","dog"]""", props["class_names"]);
            Assert.Equal([-1, 3, 48, 48], session.InputMetadata["images"].Dimensions);

            using var loaded = ModelExport.LoadSafetensors(Path.Combine(folder, role + ".safetensors"));
            Assert.IsType(role == "teacher" ? typeof(TeacherNet) : typeof(StudentNet), loaded);
        }
    }

    [Fact]
    public void AnExportPathThatIsAFileExitsWithCode2BeforeTraining()
    {
        var file = Path.Combine(root, "taken");
        File.WriteAllText(file, "x");

        Assert.Equal(2, Lab([.. TinyRun, "--export", file]));

        Assert.Contains($"lab: --export '{file}' is a file; give a folder", stderr.ToString());
        Assert.DoesNotContain("teacher:", stdout.ToString());
    }

    [Fact]
    public void AnExportFolderThatCannotBeCreatedExitsWithCode2BeforeTraining()
    {
        Assert.Equal(2, Lab([.. TinyRun, "--export", "/sys/distilllab-exports"]));

        Assert.Contains("lab: --export cannot create the folder '/sys/distilllab-exports'", stderr.ToString());
        Assert.DoesNotContain("teacher:", stdout.ToString());
    }

    [Fact]
    public void ExportWithoutAFolderAsksForOne()
    {
        Assert.Equal(2, Lab("--export"));
        Assert.Contains("--export needs a value", stderr.ToString());
    }
}
