using System.Text.Json;
using DistillLab.Core.Models;
using DistillLab.Core.Runtime;
using DistillLab.Web.Cli;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class LabCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("dl-cli-").FullName;
    private readonly StringWriter stdout = new(), stderr = new();

    public void Dispose() => Directory.Delete(root, recursive: true);

    private int Lab(params string[] args) =>
        LabCommand.Run(args, stdout, stderr, new CommandSettings(new TorchSettings(), Path.Combine(root, "data")));

    [Theory]
    [InlineData("--alpha 1.5", "--alpha must be a number between 0 and 1; got 1.5")]
    [InlineData("--alpha -0.1", "--alpha must be a number between 0 and 1")]
    [InlineData("--temperature 0", "--temperature must be a number greater than 0")]
    [InlineData("--temperature abc", "--temperature must be a number (e.g. 0.5); got 'abc'")]
    [InlineData("--temperature NaN", "--temperature must be a number")]
    [InlineData("--student-epochs 0", "--student-epochs must be between 1 and 1000")]
    [InlineData("--teacher-epochs 0", "--teacher-epochs must be at least 1 (0 is allowed only when a saved teacher is given)")]
    [InlineData("--batch-size 0", "--batch-size must be between 1 and 4096")]
    [InlineData("--lr 0", "--lr must be a number greater than 0")]
    [InlineData("--image-size 40", "--image-size must be between 46 and 512")]
    [InlineData("--device tpu", "--device must be one of auto, cpu, cuda; got 'tpu'")]
    [InlineData("--seed", "--seed needs a value")]
    [InlineData("--frobnicate", "Unknown option '--frobnicate'")]
    [InlineData("--download", "--download only applies to --data petimages")]
    public void InvalidOptionsExitWithCode2AndAMessageNamingTheOptionAndTheAllowedRange(string args, string message)
    {
        Assert.Equal(2, Lab(args.Split(' ')));
        Assert.Contains(message, stderr.ToString());
    }

    [Theory]
    [InlineData("gopher:x", "gopher")]
    [InlineData("folder:/definitely/not/here", "/definitely/not/here")]
    public void ABadDataSourceExitsWithCode2AndNamesIt(string source, string named)
    {
        Assert.Equal(2, Lab("--data", source, "--device", "cpu"));
        Assert.Contains("--data", stderr.ToString());
        Assert.Contains(named, stderr.ToString());
    }

    [Fact]
    public void AskingForCudaWithoutAUsableGpuFailsWithAMessageSayingWhatToInstall()
    {
        var images = MakeFolder(perClass: 10, size: 48);
        int code = Lab("--data", $"folder:{images}", "--image-size", "48", "--teacher-epochs", "1", "--student-epochs", "1", "--device", "cuda");
        if (TorchSharp.torch.cuda.is_available())
        {
            Assert.Equal(0, code); // on a GPU machine the same command trains on CUDA
            return;
        }
        Assert.Equal(1, code);
        Assert.Contains("no CUDA GPU is usable", stderr.ToString());
        Assert.Contains("-p:TorchBackend", stderr.ToString());
    }

    [Fact]
    public void HelpListsEveryOptionAndExitsZero()
    {
        Assert.Equal(0, Lab("--help"));
        foreach (var option in new[] { "--data", "--image-size", "--limit", "--teacher-epochs", "--student-epochs", "--alpha",
                     "--temperature", "--t2", "--batch-size", "--lr", "--seed", "--device", "--teacher", "--save-teacher", "--scratch", "--save-scratch",
                     "--allow-foreign-teacher", "--out", "--export" })
            Assert.Contains(option, stdout.ToString());
    }

    [Fact]
    public void ATinyRunWritesTheReportJsonAndSavesAReusableTeacherAndScratchStudent()
    {
        var images = MakeFolder(perClass: 20, size: 48);
        var outPath = Path.Combine(root, "results", "lab.json");
        var teacherPath = Path.Combine(root, "teacher.ckpt");
        var scratchPath = Path.Combine(root, "scratch.ckpt");

        Assert.Equal(0, Lab("--data", $"folder:{images}", "--image-size", "48", "--teacher-epochs", "1", "--student-epochs", "1",
            "--batch-size", "8", "--device", "cpu", "--out", outPath, "--save-teacher", teacherPath, "--save-scratch", scratchPath));

        using var json = JsonDocument.Parse(File.ReadAllText(outPath));
        var r = json.RootElement;
        foreach (var key in new[] { "data", "imageSize", "alpha", "temperature", "scaleByTemperatureSquared", "batchSize", "learningRate", "teacherEpochs", "studentEpochs", "seed", "device" })
            Assert.True(r.GetProperty("config").TryGetProperty(key, out _), $"config.{key} missing");
        Assert.Equal(48, r.GetProperty("config").GetProperty("imageSize").GetInt32());
        Assert.Equal(["a", "b"], r.GetProperty("data").GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(40, new[] { "train", "validation", "test" }.Sum(k => r.GetProperty("data").GetProperty(k).GetInt32()));
        foreach (var model in new[] { "teacher", "studentScratch", "studentDistilled" })
        {
            var m = r.GetProperty(model);
            Assert.True(m.GetProperty("parameters").GetInt64() > 0);
            Assert.InRange(m.GetProperty("testAccuracy").GetDouble(), 0, 1);
            var epoch = Assert.Single(m.GetProperty("history").EnumerateArray());
            foreach (var key in new[] { "epoch", "trainAccuracy", "trainLoss", "valAccuracy", "valLoss", "seconds", "imagesPerSecond" })
                Assert.True(epoch.TryGetProperty(key, out _), $"{model}.history[0].{key} missing");
            Assert.Equal(model == "studentDistilled", epoch.TryGetProperty("distillationLoss", out _));
            Assert.Equal(model == "studentDistilled", epoch.TryGetProperty("studentLoss", out _));
        }
        Assert.True(r.GetProperty("totalSeconds").GetDouble() > 0);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(outPath)!, "*.tmp"));

        // The saved teacher is reused (0 teacher epochs allowed then); one built for another size is refused up front.
        Assert.Equal(0, Lab("--data", $"folder:{images}", "--image-size", "48", "--teacher-epochs", "0", "--student-epochs", "1",
            "--device", "cpu", "--teacher", teacherPath));
        Assert.Contains("(reused teacher)", stdout.ToString());
        Assert.Equal(2, Lab("--data", $"folder:{images}", "--image-size", "64", "--teacher", teacherPath, "--device", "cpu"));
        Assert.Contains("--teacher", stderr.ToString());
        Assert.Contains("built for 48 px", stderr.ToString());

        // A retune: both saved models reused, only the distilled student trains; a teacher file is no scratch student.
        Assert.Equal(0, Lab("--data", $"folder:{images}", "--image-size", "48", "--teacher-epochs", "0", "--student-epochs", "1",
            "--batch-size", "8", "--alpha", "0.5", "--device", "cpu", "--teacher", teacherPath, "--scratch", scratchPath));
        Assert.Contains("(reused scratch student)", stdout.ToString());
        Assert.Equal(2, Lab("--data", $"folder:{images}", "--image-size", "48", "--scratch", teacherPath, "--device", "cpu"));
        Assert.Contains("--scratch '", stderr.ToString());
        Assert.Contains("holds a teacher, not a student", stderr.ToString());
    }

    [Fact]
    public void ATeacherSavedWithAnotherSeedIsRefusedNamingTheSeedAndAllowForeignTeacherRunsWithAWarningInTheSummaryAndReport()
    {
        var images = MakeFolder(perClass: 10, size: 48);
        var teacherPath = Path.Combine(root, "seed7.ckpt");
        var outPath = Path.Combine(root, "foreign.json");
        string[] common = ["--data", $"folder:{images}", "--image-size", "48", "--student-epochs", "1", "--batch-size", "8", "--device", "cpu"];
        Assert.Equal(0, Lab([.. common, "--teacher-epochs", "1", "--seed", "7", "--save-teacher", teacherPath]));

        Assert.Equal(2, Lab([.. common, "--teacher", teacherPath]));
        Assert.Contains($"lab: --teacher '{teacherPath}' was not trained on this run's training split (it was trained with seed 7, this run uses seed 42): " +
                        "its training images include this run's test images", stderr.ToString());
        Assert.Contains("pass --allow-foreign-teacher", stderr.ToString());

        stdout.GetStringBuilder().Clear();
        Assert.Equal(0, Lab([.. common, "--teacher", teacherPath, "--teacher-epochs", "0", "--allow-foreign-teacher", "--out", outPath]));
        Assert.Contains("warning: the teacher was not trained on this run's training split (used with --allow-foreign-teacher): " +
                        "it was trained with seed 7, this run uses seed 42; its training images include this run's test images", stdout.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(outPath));
        Assert.True(json.RootElement.GetProperty("config").GetProperty("allowForeignTeacher").GetBoolean());
        Assert.Equal("teacher", json.RootElement.GetProperty("foreignModels")[0].GetProperty("model").GetString());
    }

    [Fact]
    public void TheSummarySaysWhatTheResultsWereMeasuredOnAndMarksTheBuiltInSetAsDrawnPictures()
    {
        var images = MakeFolder(perClass: 10, size: 48);
        Assert.Equal(0, Lab("--data", $"folder:{images}", "--image-size", "48", "--teacher-epochs", "1", "--student-epochs", "1", "--device", "cpu"));
        Assert.Contains($"measured on folder:{images}, 48 px: 2 test images", stdout.ToString());

        stdout.GetStringBuilder().Clear();
        Assert.Equal(0, Lab("--data", "synthetic", "--limit", "40", "--image-size", "46", "--teacher-epochs", "1", "--student-epochs", "1", "--device", "cpu"));
        var summary = stdout.ToString()[stdout.ToString().LastIndexOf("measured on", StringComparison.Ordinal)..];
        Assert.StartsWith("measured on synthetic (drawn pictures, not photos), 46 px: 10 test images", summary);
        Assert.Contains("data: synthetic (drawn pictures, not photos) - classes cat, dog", stdout.ToString());
    }

    private string MakeFolder(int perClass, int size)
    {
        var folder = Path.Combine(root, "images");
        var random = new Random(5);
        foreach (var (name, shade) in new[] { ("a", (byte)40), ("b", (byte)220) })
        {
            Directory.CreateDirectory(Path.Combine(folder, name));
            for (int i = 0; i < perClass; i++)
            {
                using var image = new Image<Rgb24>(size, size);
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                        image[x, y] = new Rgb24((byte)(shade + random.Next(-30, 30)), (byte)random.Next(256), shade);
                image.SaveAsPng(Path.Combine(folder, name, $"{i:D3}.png"));
            }
        }
        return folder;
    }
}
