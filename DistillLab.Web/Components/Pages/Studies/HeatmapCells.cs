using System.Globalization;
using DistillLab.Core.Studies;
using DistillLab.Web.Studies;

namespace DistillLab.Web.Components.Pages.Studies;

/// <summary>The α × T grid of a study as the heat map draws it: one row per α (and T² choice when the study tries
/// both), one column per T; a cell's value is the mean paired difference in points (null until a trial of it
/// completed), its text the value, the 95% CI, the seeds in and the pruned trials.</summary>
public sealed record HeatmapCells(IReadOnlyList<string> Columns, IReadOnlyList<string> Rows, double?[][] Values, string[][] Texts)
{
    public static HeatmapCells Of(StudyDetails study)
    {
        var config = study.Config;
        var temperatures = config.Temperature.Expand();
        var t2Values = config.T2Values();
        var rows = (from alpha in config.Alpha.Expand() from t2 in t2Values select (alpha, t2)).ToList();
        var settings = study.Settings.ToDictionary(s => (s.Alpha, s.Temperature, s.ScaleByTemperatureSquared));
        var stopped = study.Trials.Where(t => t.Status is TrialStatus.Pruned or TrialStatus.Failed)
            .ToLookup(t => (t.Alpha, t.Temperature, t.ScaleByTemperatureSquared));
        int seeds = config.Seeds;
        var values = new double?[rows.Count][];
        var texts = new string[rows.Count][];
        for (int r = 0; r < rows.Count; r++)
        {
            values[r] = new double?[temperatures.Count];
            texts[r] = new string[temperatures.Count];
            for (int c = 0; c < temperatures.Count; c++)
            {
                var key = (rows[r].alpha, temperatures[c], rows[r].t2);
                settings.TryGetValue(key, out var s);
                values[r][c] = s?.MeanDelta is { } d ? Math.Round(100 * d, 2) : null;
                texts[r][c] = Text(s, seeds, stopped[key].Count(t => t.Status == TrialStatus.Pruned), stopped[key].Count(t => t.Status == TrialStatus.Failed));
            }
        }
        string RowName((double Alpha, bool T2) row) =>
            $"α={Number(row.Alpha)}" + (t2Values.Count > 1 ? (row.T2 ? " T² on" : " T² off") : "");
        return new HeatmapCells(temperatures.Select(t => $"T={Number(t)}").ToList(), rows.Select(RowName).ToList(), values, texts);
    }

    /// <summary>"+2.1<br>[0.8, 3.4]<br>3/3 seeds" (the CI once two seeds are in), "pruned 1" when halving stopped any.</summary>
    public static string Text(SettingSummary? s, int seeds, int pruned = 0, int failed = 0)
    {
        if (s is null || s.Seeds == 0 && pruned == 0 && failed == 0) return "";
        var lines = new List<string>();
        if (s.MeanDelta is { } d) lines.Add(Points(d));
        if (s.Ci95 is [var lo, var hi]) lines.Add($"[{Points(lo)}, {Points(hi)}]");
        lines.Add($"{s.Seeds}/{seeds} seeds");
        if (pruned > 0) lines.Add($"pruned {pruned}");
        if (failed > 0) lines.Add($"failed {failed}");
        return string.Join("<br>", lines);
    }

    /// <summary>A difference in accuracy points with its sign: "+2.1", "−0.8".</summary>
    public static string Points(double fraction) =>
        (fraction >= 0 ? "+" : "−") + Math.Abs(100 * fraction).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
