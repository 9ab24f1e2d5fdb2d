namespace DistillLab.Core.Studies;

/// <summary>Choosing a setting, on validation figures only: this class never sees a test accuracy.</summary>
public static class StudySelection
{
    /// <summary>Each setting over its completed trials that have a baseline: mean validation accuracy, and the paired
    /// validation difference to the scratch student with its 95% CI (Student's t over seeds). Pruned, failed and
    /// cancelled trials are left out: a pruned student stopped early, and comparing it with a fully trained baseline
    /// would not be like for like. The page uses this for the live heat map; the runner for the choice.</summary>
    public static IReadOnlyList<SettingSummary> Summarize(IReadOnlyList<StudySetting> settings,
        IEnumerable<TrialResult> trials, IEnumerable<BaselineResult> baselines)
    {
        var baselineVal = baselines.ToDictionary(b => b.Seed, b => b.ValAccuracy);
        var completed = trials.Where(t => t.Status == TrialStatus.Completed && t.ValAccuracy is not null && baselineVal.ContainsKey(t.Seed)).ToList();
        return settings.Select(setting =>
        {
            var mine = completed.Where(t => t.Key.Setting == setting).OrderBy(t => t.Seed).ToList();
            if (mine.Count == 0)
                return new SettingSummary(setting.Alpha, setting.Temperature, setting.ScaleByTemperatureSquared, 0, null, null, null);
            var deltas = mine.Select(t => t.ValAccuracy!.Value - baselineVal[t.Seed]).ToList();
            IReadOnlyList<double>? ci = null;
            if (deltas.Count >= 2)
            {
                var paired = PairedComparison.OfDifferences(deltas);
                ci = [paired.Ci95Low, paired.Ci95High];
            }
            return new SettingSummary(setting.Alpha, setting.Temperature, setting.ScaleByTemperatureSquared, mine.Count,
                mine.Average(t => t.ValAccuracy!.Value), deltas.Average(), ci);
        }).ToList();
    }

    /// <summary>The setting with the highest mean validation difference among those completed on all
    /// <paramref name="seedCount"/> seeds; on a tie the earlier in sampler order. Null when none completed everywhere.</summary>
    public static SettingSummary? Best(IReadOnlyList<SettingSummary> summaries, int seedCount)
    {
        SettingSummary? best = null;
        foreach (var s in summaries)
            if (s.Seeds == seedCount && s.MeanDelta is { } delta && (best is null || delta > best.MeanDelta))
                best = s;
        return best;
    }
}
