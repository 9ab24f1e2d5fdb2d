using DistillLab.Tests.Support;
using System.Globalization;
using System.Text.Json;

namespace DistillLab.Tests.Docs;

/// <summary>docs/insight.md quotes the insight of the stored headline run (docs/figures/lab-synthetic-64.json), as the
/// other docs quote its accuracies (<see cref="DocumentedFiguresTests"/>).</summary>
public sealed class InsightFiguresTests
{
    private static readonly (string Model, string Label)[] Labels =
        [("teacher", "teacher"), ("studentScratch", "student from scratch"), ("studentDistilled", "distilled student")];

    [Fact]
    public void InsightDocQuotesTheStoredHeadlineRunsInsight()
    {
        string root = FindRepositoryRoot();
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "docs", "figures", "lab-synthetic-64.json")));
        Assert.True(report.RootElement.TryGetProperty("insight", out var insight),
            "docs/figures/lab-synthetic-64.json has no insight: run scripts/refresh-figures.sh.");
        var doc = File.ReadAllText(Path.Combine(root, "docs", "insight.md"));
        foreach (var (model, label) in Labels)
        {
            var m = insight.GetProperty(model);
            string fidelity = m.TryGetProperty("agreementWithTeacher", out var agreement)
                ? $"{Number(agreement.GetDouble() * 100, 1)} % | {Number(m.GetProperty("klFromTeacher").GetDouble(), 3)} |"
                : "— | — |";
            string row = $"| {label} | {Number(m.GetProperty("accuracy").GetDouble() * 100, 2)} % | {Number(m.GetProperty("nll").GetDouble(), 3)} | " +
                         $"{Number(m.GetProperty("ece").GetDouble(), 3)} | {fidelity}";
            Assert.True(doc.Contains(row), $"docs/insight.md should have the row '{row}'.");

            var counts = m.GetProperty("confusion").GetProperty("counts").EnumerateArray()
                .SelectMany(r => r.EnumerateArray().Select(c => c.GetInt32().ToString(CultureInfo.InvariantCulture)));
            string confusion = $"| {label} | {string.Join(" | ", counts)} |";
            Assert.True(doc.Contains(confusion), $"docs/insight.md's confusion table should have the row '{confusion}'.");
        }
    }

    [Fact]
    public void InsightDocsReliabilityTableQuotesEveryNonEmptyBinOfTheStoredRun()
    {
        string root = FindRepositoryRoot();
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "docs", "figures", "lab-synthetic-64.json")));
        var insight = report.RootElement.GetProperty("insight");
        var doc = File.ReadAllText(Path.Combine(root, "docs", "insight.md"));
        var bins = Labels.Select(l => insight.GetProperty(l.Model).GetProperty("reliability").EnumerateArray().ToList()).ToList();
        for (int b = 0; b < bins[0].Count; b++)
        {
            var models = bins.Select(m => m[b]).ToList();
            if (models.All(m => m.GetProperty("count").GetInt32() == 0)) continue;
            string row = $"| ({Number(models[0].GetProperty("lower").GetDouble(), 3)}, {Number(models[0].GetProperty("upper").GetDouble(), 3)}] | " +
                         string.Join(" | ", models.Select(Cells)) + " |";
            Assert.True(doc.Contains(row), $"docs/insight.md's reliability table should have the row '{row}'.");
        }
    }

    private static string Cells(JsonElement bin) => bin.GetProperty("count").GetInt32() is var n && n == 0
        ? "0 | — | —"
        : $"{n} | {Number(bin.GetProperty("meanConfidence").GetDouble(), 3)} | {Number(bin.GetProperty("accuracy").GetDouble(), 3)}";

    private static string Number(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DistillLab.sln"))) return dir.FullName;
        throw new InvalidOperationException("DistillLab.sln not found above " + AppContext.BaseDirectory);
    }
}
