using DistillLab.Tests.Support;
using System.Diagnostics;
using DistillLab.Core.Export;
using DistillLab.Core.Models;
using DistillLab.Tests.Core;
using Xunit.Abstractions;
using static DistillLab.Tests.Core.Export.ExportTestModels;

namespace DistillLab.Tests.Docs;

/// <summary>docs/export.md's PyTorch definitions and plain-Python reader, run in PyTorch on DistillLab's exports.</summary>
[Collection(TorchCollection.Name)]
[Trait("Category", "PyTorch")]
public sealed class ExportPyTorchTests(ITestOutputHelper output) : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly string folder = Directory.CreateTempSubdirectory("dl-export-pytorch-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void TheDocsPyTorchDefinitionsLoadTheSafetensorsStrictlyAndGiveTorchSharpsLogits()
    {
        Export("teacher", Build(ModelKind.Teacher, 48, seed: 21), new ExportMetadata(["cat", "dog"]));
        Export("student", Build(ModelKind.Student, 64, seed: 22, classes: 3), new ExportMetadata(["ant", "bee", "cat"]));

        var root = RepositoryRoot();
        var (code, text) = Run(Python, Path.Combine(root, "scripts", "check_export_pytorch.py"), Path.Combine(root, "docs", "export.md"), folder);
        output.WriteLine(text);

        Assert.True(code == 0, $"check_export_pytorch.py failed (exit {code}):\n{text}");
        Assert.Contains("teacher.safetensors: TeacherNet 48 px, 12 tensors", text);
        Assert.Contains("student.safetensors: StudentNet 64 px, 4 tensors", text);
    }

    /// <summary>The model's safetensors, and beside it the images and TorchSharp's logits for the script to compare.</summary>
    private void Export(string name, TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor> model, ExportMetadata metadata)
    {
        using (model)
        {
            ModelExport.WriteSafetensors(model, metadata, Path.Combine(folder, name + ".safetensors"));
            int size = InferencePlan.SpecOf(model).ImageSize;
            using var images = Images(32, size, seed: 8);
            var logits = TorchLogits(model, images);
            using var reference = File.Create(Path.Combine(folder, name + ".reference.safetensors"));
            SafetensorsFile.Write(reference,
            [
                new ModelWeights.Weight("images", images.shape, images.data<float>().ToArray()),
                new ModelWeights.Weight("logits", [32, logits.Length / 32], logits),
            ], []);
        }
    }

    private static (int Code, string Output) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var text = stdout + stderr.Result;
            if (text.Contains("No module named 'torch'"))
                Assert.Fail($"PyTorch is not installed for {Python}: scripts/setup.sh --tests installs Debian's python3-torch " +
                            "(or leave these tests out with --filter \"Category!=PyTorch\").");
            return (process.ExitCode, text);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"Could not start {program} ({e.Message}): scripts/setup.sh --tests installs Python 3 with PyTorch.");
            throw;
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DistillLab.sln"))) return dir.FullName;
        throw new InvalidOperationException("DistillLab.sln not found above " + AppContext.BaseDirectory);
    }
}
