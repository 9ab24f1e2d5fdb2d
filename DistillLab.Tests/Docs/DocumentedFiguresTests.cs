using DistillLab.Core.Insight;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Reflection;
using DistillLab.Core.Experiments;
using DistillLab.Core.Runtime;
using DistillLab.Core.Training;
using DistillLab.Web.Cli;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Docs;

/// <summary>The lab figures in README and docs/ come from the current code. Each documented run's `lab --out`
/// report is stored in docs/figures/ (scripts/refresh-figures.sh writes them all in one go); the docs must quote
/// those reports, and a small documented run, recorded with them, must still give the same numbers today.
/// When a change moves them, the small run fails here: rerun the script and update the docs it names.
/// Figures hold for one CPU and thread count (2 libtorch threads, pinned here and in the script); see docs/figures/README.md.</summary>
[Collection(TorchCollection.Name)]
public sealed class DocumentedFiguresTests : IDisposable
{
    private static readonly string Root = FindRepositoryRoot();
    private static readonly string Figures = Path.Combine(Root, "docs", "figures");
    private readonly string scratch = Directory.CreateTempSubdirectory("dl-figures-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void TheSmallDocumentedRunStillGivesTheFiguresRecordedWithTheHeadline()
    {
        var stored = Report("lab-synthetic-64-check.json");
        string outPath = Path.Combine(scratch, "check.json");
        var args = ArgsOf(stored).Concat(["--out", outPath]).ToArray();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        // Libtorch is configured once per process, by whichever test comes first, and its default thread count is the
        // cores the process may use: pinned to one core (taskset), that is 1, and this run's numbers move. Set 2 here.
        int threadsBefore = TorchSharp.torch.get_num_threads();
        int code;
        try
        {
            TorchSharp.torch.set_num_threads(2);
            code = LabCommand.Run(args, stdout, stderr, new CommandSettings(new TorchSettings(Threads: 2), Path.Combine(scratch, "data")));
        }
        finally { TorchSharp.torch.set_num_threads(threadsBefore); }
        Assert.True(code == 0, $"lab {string.Join(' ', args)} exited {code}: {stderr}");

        var fresh = JsonDocument.Parse(File.ReadAllText(outPath)).RootElement;
        foreach (var model in Models)
        {
            double then = stored.GetProperty(model).GetProperty("testAccuracy").GetDouble();
            double now = fresh.GetProperty(model).GetProperty("testAccuracy").GetDouble();
            Assert.True(then == now,
                $"{model}: the documented check run gave {then:P2}, the current code gives {now:P2}. The code's figures moved: " +
                "run scripts/refresh-figures.sh and update README.md, docs/benchmarks.md and docs/synthetic-data.md.");
            Assert.Equal(stored.GetProperty(model).GetProperty("testLoss").GetDouble(), fresh.GetProperty(model).GetProperty("testLoss").GetDouble());
            var thenCurve = ValCurve(stored.GetProperty(model));
            var nowCurve = ValCurve(fresh.GetProperty(model));
            Assert.Equal(thenCurve, nowCurve);
        }
    }

    [Fact]
    public void AReportHasTheKeysOfTheStoredReports()
    {
        // Built from a result, without training: the report's shape alone, which scripts and the docs read by key.
        // (Its config part is LabConfig itself: a new setting adds a key there by design.)
        var model = new ModelResult(1000, 0.9, 0.3, [new EpochMetrics(1, 0.8, 0.4, 0.7, 0.5, 2, 100)]);
        var distilled = model with { History = [new EpochMetrics(1, 0.8, 0.4, 0.7, 0.5, 2, 100, StudentLoss: 0.45, DistillationLoss: 0.1)] };
        var result = new LabResult(new LabConfig(), "cpu", 64, new DataSummary("synthetic", ["cat", "dog"], 80, 10, 10, new Dictionary<string, int>()),
            model, model, distilled, 12)
        {
            Insight = RunInsight.Of(new TestLogits(["cat", "dog"], [0, 1], [[2f, 0f], [0f, 1f]], [[1f, 0f], [1f, 0f]], [[0f, 1f], [0f, 2f]])),
        };
        var fresh = JsonDocument.Parse(LabReport.From(result).ToJson()).RootElement;
        var stored = Report("lab-synthetic-64.json");
        Assert.Equal(Keys(stored), Keys(fresh));
        Assert.Equal(Keys(stored.GetProperty("data")), Keys(fresh.GetProperty("data")));
        foreach (var name in Models)
        {
            Assert.Equal(Keys(stored.GetProperty(name)), Keys(fresh.GetProperty(name)));
            Assert.Equal(Keys(stored.GetProperty(name).GetProperty("history")[0]), Keys(fresh.GetProperty(name).GetProperty("history")[0]));
            Assert.Equal(Keys(stored.GetProperty("insight").GetProperty(name)), Keys(fresh.GetProperty("insight").GetProperty(name)));
        }
    }

    private static string[] Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public void ReadmeHeadlineTableQuotesTheStoredHeadlineRun()
    {
        var headline = Report("lab-synthetic-64.json");
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        foreach (var (model, label) in Labels)
        {
            var m = headline.GetProperty(model);
            string row = $"| {label} | {m.GetProperty("parameters").GetInt64().ToString("N0", CultureInfo.InvariantCulture)} | {Percent(m, 2)} |";
            Assert.True(readme.Contains(row), $"README.md should have the row '{row}' (docs/figures/lab-synthetic-64.json).");
        }
        string gain = Points(headline);
        Assert.True(readme.Contains(gain), $"README.md should state distilled - scratch as '{gain}'.");
    }

    [Fact]
    public void BenchmarksAndSyntheticDataDocsQuoteTheStoredRuns()
    {
        var seed42 = Report("lab-synthetic-64.json");
        var seed7 = Report("lab-synthetic-64-seed7.json");
        var benchmarks = File.ReadAllText(Path.Combine(Root, "docs", "benchmarks.md"));
        var synthetic = File.ReadAllText(Path.Combine(Root, "docs", "synthetic-data.md"));
        foreach (var (model, label) in Labels)
        {
            var a = seed42.GetProperty(model);
            var b = seed7.GetProperty(model);
            string parameters = a.GetProperty("parameters").GetInt64().ToString("N0", CultureInfo.InvariantCulture);
            string benchRow = $"| {label} | {parameters} | {Percent(a, 2)} | {Loss(a, 4)} |";
            Assert.True(benchmarks.Contains(benchRow), $"docs/benchmarks.md should have the row '{benchRow}'.");
            string synthRow = $"| {label} | {parameters} | {Percent(a, 1)} (loss {Loss(a, 3)}) | {Percent(b, 1)} (loss {Loss(b, 3)}) |";
            Assert.True(synthetic.Contains(synthRow), $"docs/synthetic-data.md should have the row '{synthRow}'.");
        }
        var teacher = seed42.GetProperty("teacher").GetProperty("history").EnumerateArray().ToList();
        var scratchCurve = seed42.GetProperty("studentScratch").GetProperty("history").EnumerateArray().ToList();
        var distilled = seed42.GetProperty("studentDistilled").GetProperty("history").EnumerateArray().ToList();
        for (int i = 0; i < scratchCurve.Count; i++)
        {
            string row = $"| {i + 1} | {Epoch(teacher[i])} | {Epoch(scratchCurve[i])} | {Epoch(distilled[i])} |";
            Assert.True(synthetic.Contains(row), $"docs/synthetic-data.md's per-epoch table should have '{row}'.");
        }
    }

    private static readonly string[] Models = ["teacher", "studentScratch", "studentDistilled"];

    private static readonly (string Model, string Label)[] Labels =
        [("teacher", "teacher"), ("studentScratch", "student from scratch"), ("studentDistilled", "distilled student")];

    /// <summary>The `lab` options that reproduce a stored report: every setting its config holds spelled out, none left
    /// to defaults. Read through LabConfig's own [Setting]s, so a setting added later is passed too.</summary>
    private static IEnumerable<string> ArgsOf(JsonElement report)
    {
        var c = report.GetProperty("config");
        foreach (var property in typeof(LabConfig).GetProperties().Where(p => p.GetCustomAttribute<SettingAttribute>() is not null))
        {
            if (!c.TryGetProperty(JsonNamingPolicy.CamelCase.ConvertName(property.Name), out var value)) continue;
            string option = LabOptions.OptionName(property.Name);
            switch (value.ValueKind)
            {
                case JsonValueKind.True: yield return option; break;
                case JsonValueKind.False or JsonValueKind.Null: break;
                case JsonValueKind.String: yield return option; yield return value.GetString()!; break;
                default: yield return option; yield return value.GetRawText(); break;
            }
        }
    }

    private static double[] ValCurve(JsonElement model) =>
        model.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("valAccuracy").GetDouble()).ToArray();

    private static string Percent(JsonElement model, int decimals) =>
        (model.GetProperty("testAccuracy").GetDouble() * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + " %";

    private static string Loss(JsonElement model, int decimals) =>
        model.GetProperty("testLoss").GetDouble().ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static string Epoch(JsonElement e) =>
        $"{(e.GetProperty("valAccuracy").GetDouble() * 100).ToString("F1", CultureInfo.InvariantCulture)} % " +
        $"({(e.GetProperty("trainAccuracy").GetDouble() * 100).ToString("F1", CultureInfo.InvariantCulture)})";

    /// <summary>distilled - scratch in points with its sign, as the docs write it ("-0.8 points").</summary>
    private static string Points(JsonElement report)
    {
        double gain = (report.GetProperty("studentDistilled").GetProperty("testAccuracy").GetDouble()
                       - report.GetProperty("studentScratch").GetProperty("testAccuracy").GetDouble()) * 100;
        return Regex.Replace(gain.ToString("+0.0;-0.0", CultureInfo.InvariantCulture), "^-", "−") + " points";
    }

    private static JsonElement Report(string name)
    {
        string path = Path.Combine(Figures, name);
        Assert.True(File.Exists(path), $"{path} is missing: run scripts/refresh-figures.sh.");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DistillLab.sln"))) return dir.FullName;
        throw new InvalidOperationException("DistillLab.sln not found above " + AppContext.BaseDirectory);
    }
}
