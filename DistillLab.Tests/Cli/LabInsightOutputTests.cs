using DistillLab.Tests.Support;
using System.Text.Json;
using DistillLab.Core.Runtime;
using DistillLab.Tests.Core;
using DistillLab.Web.Cli;

namespace DistillLab.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class LabInsightOutputTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("dl-insight-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void LabPrintsTheInsightTableAndWritesTheInsightButNoLogitsToTheReport()
    {
        var outPath = Path.Combine(root, "lab.json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = LabCommand.Run(["--data", "synthetic", "--limit", "40", "--image-size", "46", "--teacher-epochs", "1", "--student-epochs", "1",
            "--device", "cpu", "--out", outPath], stdout, stderr, new CommandSettings(new TorchSettings(), Path.Combine(root, "data")));
        Assert.True(code == 0, stderr.ToString());

        var text = stdout.ToString();
        Assert.Contains("beyond accuracy, on the test split", text);
        var table = text[text.IndexOf("beyond accuracy", StringComparison.Ordinal)..].Split('\n');
        Assert.Contains("KL(teacher||model)", table[1]);
        Assert.StartsWith("teacher ", table[2]);
        Assert.EndsWith("-", table[2].TrimEnd()); // the teacher has no fidelity to itself
        Assert.StartsWith("student (scratch) ", table[3]);
        Assert.StartsWith("student (distilled) ", table[4]);

        var json = File.ReadAllText(outPath);
        using var report = JsonDocument.Parse(json);
        var insight = report.RootElement.GetProperty("insight");
        foreach (var model in new[] { "teacher", "studentScratch", "studentDistilled" })
        {
            var m = insight.GetProperty(model);
            Assert.Equal(report.RootElement.GetProperty(model).GetProperty("testAccuracy").GetDouble(), m.GetProperty("accuracy").GetDouble());
            foreach (var key in new[] { "nll", "ece" }) Assert.True(m.TryGetProperty(key, out _), $"insight.{model}.{key} missing");
            Assert.Equal(15, m.GetProperty("reliability").GetArrayLength());
            Assert.Equal(["cat", "dog"], m.GetProperty("confusion").GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(model != "teacher", m.TryGetProperty("agreementWithTeacher", out _));
            Assert.Equal(model != "teacher", m.TryGetProperty("klFromTeacher", out _));
        }
        Assert.DoesNotContain("logits", json, StringComparison.OrdinalIgnoreCase);
    }
}
