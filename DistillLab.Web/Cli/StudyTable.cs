using System.Globalization;
using DistillLab.Core.Studies;

namespace DistillLab.Web.Cli;

/// <summary>The α × T heat map as a text table: each cell the mean validation difference to scratch in points ± the 95%
/// CI's half-width, and how many seeds are in (fewer than all when trials were pruned or failed).</summary>
internal static class StudyTable
{
    public static IEnumerable<string> HeatMap(StudyResult result)
    {
        var alphas = result.Settings.Select(s => s.Alpha).Distinct().Order().ToList();
        var temperatures = result.Settings.Select(s => s.Temperature).Distinct().Order().ToList();
        int seeds = result.Config.Seeds;
        foreach (var t2 in result.Settings.Select(s => s.ScaleByTemperatureSquared).Distinct().Order())
        {
            yield return $"validation accuracy, distilled - scratch in points (± 95% CI half-width) [seeds in]{(t2 ? ", T² on" : "")}:";
            var header = new[] { "α \\ T" }.Concat(temperatures.Select(Number)).ToList();
            var rows = alphas.Select(a => new[] { Number(a) }.Concat(temperatures.Select(t =>
                result.Settings.FirstOrDefault(s => s.Alpha == a && s.Temperature == t && s.ScaleByTemperatureSquared == t2) is { } s
                    ? Cell(s, seeds) : "")).ToList()).ToList();
            var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToList();
            string Row(IReadOnlyList<string> cells) => "| " + string.Join(" | ", cells.Select((c, i) => c.PadLeft(widths[i]))) + " |";
            yield return Row(header);
            yield return "|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|";
            foreach (var row in rows) yield return Row(row);
        }
    }

    /// <summary>"+1.2 ± 0.8 [3/3]"; without an interval below two seeds; "— [0/3]" when nothing completed.</summary>
    public static string Cell(SettingSummary s, int seeds)
    {
        if (s.MeanDelta is not { } delta) return $"— [0/{seeds}]";
        string mean = (delta * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);
        string ci = s.Ci95 is [var lo, var hi] ? " ± " + ((hi - lo) / 2 * 100).ToString("0.0", CultureInfo.InvariantCulture) : "";
        return $"{mean}{ci} [{s.Seeds}/{seeds}]";
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
