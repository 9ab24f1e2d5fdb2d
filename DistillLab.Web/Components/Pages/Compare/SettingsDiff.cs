using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using DistillLab.Core.Experiments;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Components.Pages.Compare;

/// <summary>One setting whose value is not the same in every compared run, with each run's value in run order.</summary>
public sealed record SettingDifference(string Setting, IReadOnlyList<string> Values);

/// <summary>The settings that differ between runs, read from every public property of <see cref="LabConfig"/>,
/// so a new hyper-parameter appears here without touching this page.</summary>
public static partial class SettingsDiff
{
    private static readonly PropertyInfo[] Settings = typeof(LabConfig)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
        .OrderBy(p => p.MetadataToken) // declaration order, as the form shows them
        .ToArray();

    // Shorter names for the settings people move most; any other property gets its name spelled out.
    private static readonly Dictionary<string, string> Labels = new()
    {
        [nameof(LabConfig.Alpha)] = "α",
        [nameof(LabConfig.Temperature)] = "T",
        [nameof(LabConfig.ScaleByTemperatureSquared)] = "T²",
    };

    public static IReadOnlyList<SettingDifference> Between(IReadOnlyList<RunDetails> runs) =>
        Settings.Select(p => new SettingDifference(Label(p), runs.Select(r => Format(p.GetValue(r.Config))).ToList()))
            .Where(d => d.Values.Distinct().Count() > 1)
            .ToList();

    public static string Label(PropertyInfo property) => Labels.TryGetValue(property.Name, out var label)
        ? label
        : Capitalize(Words().Replace(property.Name, " $1").ToLowerInvariant());

    private static string Format(object? value) => value switch
    {
        null => "default",
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex Words();
}
