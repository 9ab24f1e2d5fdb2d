using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Web.Runs;
using DistillLab.Core.Training;

namespace DistillLab.Web.Api;

/// <summary>Runs as CSV: one row per model and epoch, with the run's settings and the model's test results repeated.
/// The settings' columns are LabConfig's own (every [Setting] but the saved-model paths, in declaration order), so a
/// new setting gets its column without a change here. Name and notes come last.</summary>
public static class RunCsv
{
    private static readonly PropertyInfo[] SettingColumns = typeof(LabConfig).GetProperties()
        .Where(p => p.GetCustomAttribute<SettingAttribute>() is not null && p.Name is not ("TeacherPath" or "ScratchPath")).ToArray();

    private static readonly string Header = string.Join(',', new[] { "runId", "status" }
        .Concat(SettingColumns.Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)))
        .Concat(["model", "parameters", "testAccuracy", "testLoss", "epoch", "trainAccuracy", "trainLoss", "valAccuracy", "valLoss",
                 "seconds", "imagesPerSecond", "studentLoss", "distillationLoss", "name", "notes"]));

    public static string Write(IEnumerable<RunDetails> runs)
    {
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var run in runs)
            foreach (var role in ModelRoles.All)
            {
                var model = run.Model(role);
                // The size it ran at, where "default" was asked for.
                var c = run.Config with { ImageSize = run.ImageSize ?? run.Config.ImageSize };
                string prefix = Join([run.Id, run.Status.ToString().ToLowerInvariant(),
                    .. SettingColumns.Select(p => Cell(p.GetValue(c))),
                    ModelRoles.Key(role), N(model.Parameters), N(model.TestAccuracy), N(model.TestLoss)]);
                string label = Join(Quote(run.Name ?? ""), Quote(run.Notes ?? ""));
                if (model.History.Count == 0) csv.Append(prefix).Append(",,,,,,,,,,").Append(label).Append('\n');
                foreach (var e in model.History)
                    csv.Append(prefix).Append(',').Append(Join(N(e.Epoch), N(e.TrainAccuracy), N(e.TrainLoss), N(e.ValAccuracy), N(e.ValLoss),
                        N(e.Seconds), N(e.ImagesPerSecond), N(e.StudentLoss), N(e.DistillationLoss), label)).Append('\n');
            }
        return csv.ToString();
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => N(d),
        int i => N(i),
        string text => Quote(text),
        _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static string Join(params string[] values) => string.Join(',', values);
    private static string N(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";
    private static string N(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
    private static string N(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
    // RFC 4180: a field with a comma, quote or line break is quoted (notes may span lines).
    private static string Quote(string s) => s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}
