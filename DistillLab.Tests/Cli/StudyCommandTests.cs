using DistillLab.Tests.Support;
using System.Text.Json;
using DistillLab.Core.Runtime;
using DistillLab.Tests.Core;
using DistillLab.Web.Cli;

namespace DistillLab.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class StudyCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("dl-study-cli-").FullName;
    private readonly StringWriter stdout = new(), stderr = new();

    public void Dispose() => Directory.Delete(root, recursive: true);

    private int Study(params string[] args) =>
        StudyCommand.Run(args, stdout, stderr, new CommandSettings(new TorchSettings(), Path.Combine(root, "data")));

    [Theory]
    [InlineData("--alpha 0.5,x", "--alpha takes a list of numbers separated by commas")]
    [InlineData("--alpha 1.5", "--alpha values must be between 0 and 1; got 1.5")]
    [InlineData("--alpha 0:2:3", "--alpha range max must be between 0 and 1; got 2")]
    [InlineData("--temperature 0,5", "--temperature values must be greater than 0")]
    [InlineData("--temperature 1:10:4:cubic", "--temperature takes a range's scale is linear or log")]
    [InlineData("--seeds 1", "--seeds must be at least 2: a confidence interval needs at least two seeds")]
    [InlineData("--seeds two", "--seeds must be a whole number; got 'two'")]
    [InlineData("--sampler bayes", "--sampler must be grid or random; got 'bayes'")]
    [InlineData("--sampler random", "--trials is required with the random sampler")]
    [InlineData("--pruning median", "--pruning must be none or halving; got 'median'")]
    [InlineData("--t2 maybe", "--t2 must be off, on or both; got 'maybe'")]
    [InlineData("--alpha 0:1:30 --temperature 1:20:10", "the space (--alpha × --temperature × --t2 × --seeds, or --trials × --seeds) has 900 trials")]
    [InlineData("--teacher x.ckpt", "--teacher is not used by a study")]
    [InlineData("--batch-size 0", "--batch-size must be between 1 and 4096")]
    [InlineData("--seeds", "--seeds needs a value")]
    [InlineData("--frobnicate", "Unknown option '--frobnicate'")]
    public void InvalidOptionsExitWithCode2AndAMessageNamingTheOptionAndWhatIsAllowed(string args, string message)
    {
        Assert.Equal(2, Study(args.Split(' ')));
        Assert.Contains(message, stderr.ToString());
    }

    [Fact]
    public void HelpListsTheLabOptionsAndTheStudysOwn()
    {
        Assert.Equal(0, Study("--help"));
        foreach (var option in new[] { "--data", "--image-size", "--student-epochs", "--seed", "--alpha", "--temperature", "--t2",
                     "--seeds", "--sampler", "--trials", "--pruning", "--out", "--work" })
            Assert.Contains(option, stdout.ToString());
        Assert.Contains("min:max:count[:log]", stdout.ToString());
    }

    /// <summary>A tiny study end to end: heat map and verdict on the console, the JSON written; the same command with the
    /// same --work folder then resumes, finds every trial finished and trains nothing.</summary>
    [Fact]
    public void ATinyStudyPrintsTheHeatMapAndVerdictWritesTheJsonAndResumesFromItsWorkFolder()
    {
        string outPath = Path.Combine(root, "study.json"), work = Path.Combine(root, "work");
        string[] args = ["--data", "synthetic", "--limit", "40", "--image-size", "48", "--teacher-epochs", "1", "--student-epochs", "1",
            "--batch-size", "8", "--device", "cpu", "--alpha", "0.1", "--temperature", "1,5", "--seeds", "2", "--out", outPath, "--work", work];

        Assert.Equal(0, Study(args));

        string console = stdout.ToString();
        Assert.Contains("trial 4/4: α=0.1, T=5, seed 43", console);
        Assert.Contains("| α \\ T |", console);
        Assert.Contains("[2/2]", console);
        Assert.Contains("verdict: ", console);
        var json = JsonDocument.Parse(File.ReadAllText(outPath)).RootElement;
        Assert.Equal(4, json.GetProperty("trials").GetArrayLength());
        Assert.Equal(2, json.GetProperty("best").GetProperty("test").GetProperty("distilled").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(work, "study-progress.json")));

        stdout.GetStringBuilder().Clear();
        Assert.Equal(0, Study(args));
        Assert.Contains("resuming from", stdout.ToString());
        Assert.Contains("4 of 4 trials finished", stdout.ToString());
        Assert.DoesNotContain("trial 1/4", stdout.ToString());
        Assert.DoesNotContain("teacher: ", stdout.ToString());
        var again = JsonDocument.Parse(File.ReadAllText(outPath)).RootElement;
        Assert.Equal(json.GetProperty("best").GetRawText(), again.GetProperty("best").GetRawText());

        // Another space in the same folder is refused rather than mixed in.
        var other = args.ToArray();
        other[Array.IndexOf(other, "0.1")] = "0.2";
        Assert.Equal(2, Study(other));
        Assert.Contains("holds another study's progress", stderr.ToString());
    }
}
