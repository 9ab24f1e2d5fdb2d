using System.Text.Json.Serialization;
using DistillLab.Core.Studies;

namespace DistillLab.Web.Studies;

/// <summary>One setting's standing on validation: its completed seeds, their mean validation accuracy, and the paired
/// difference distilled − scratch (per seed) with its mean and 95% CI (null below two seeds: no interval from one).</summary>
/// <param name="MeanDelta">Null until a trial of the setting completed.</param>
/// <param name="Pruned">Trials of this setting stopped early by halving; they are not in the means.</param>
public sealed record StudySettingSummary(double Alpha, double Temperature, bool ScaleByTemperatureSquared, int Seeds,
    double? MeanValAccuracy, double? MeanDelta, IReadOnlyList<double>? Ci95, int Pruned = 0, int Failed = 0)
{
    [JsonIgnore] public StudySetting Setting => new(Alpha, Temperature, ScaleByTemperatureSquared);

    /// <summary>The settings of the finished trials, in the order they first finished.</summary>
    public static IReadOnlyList<StudySettingSummary> From(IReadOnlyList<StudyTrial> trials, IReadOnlyList<StudyBaseline> baseline)
    {
        var scratch = baseline.ToDictionary(b => b.Seed, b => b.ValAccuracy);
        return trials.GroupBy(t => t.Setting).Select(g =>
        {
            var completed = g.Where(t => t.Status == TrialStatus.Completed && t.ValAccuracy is not null && scratch.ContainsKey(t.Seed)).ToList();
            var deltas = completed.Select(t => t.ValAccuracy!.Value - scratch[t.Seed]).ToList();
            var ci = deltas.Count >= 2 ? PairedComparison.OfDifferences(deltas) : null;
            return new StudySettingSummary(g.Key.Alpha, g.Key.Temperature, g.Key.ScaleByTemperatureSquared, completed.Count,
                completed.Count > 0 ? completed.Average(t => t.ValAccuracy!.Value) : null,
                deltas.Count > 0 ? deltas.Average() : null,
                ci is null ? null : [ci.Ci95Low, ci.Ci95High],
                g.Count(t => t.Status == TrialStatus.Pruned), g.Count(t => t.Status == TrialStatus.Failed));
        }).ToList();
    }
}
