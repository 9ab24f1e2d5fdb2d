using System.Globalization;

namespace DistillLab.Core.Studies;

/// <summary>The confirm step's result in one plain sentence.</summary>
public static class StudyVerdict
{
    /// <summary>"helps" when the whole 95% interval of the test difference is above zero, "hurts" when below, else "no
    /// difference detected" (the same as a two-sided paired t-test at the 5 % level).</summary>
    public static string Sentence(StudySetting setting, PairedComparison test)
    {
        string interval = $"95% CI {Points(test.Ci95Low)} to {Points(test.Ci95High)}, p {P(test.PValue)}";
        string seeds = $"over {test.Count} seeds";
        if (test.Ci95Low > 0)
            return $"distillation with {setting} helps by {Points(test.Mean)} points ({interval}) {seeds}";
        if (test.Ci95High < 0)
            return $"distillation with {setting} hurts by {Points(-test.Mean)} points ({interval}) {seeds}";
        return $"no difference detected: distillation with {setting} changes test accuracy by {Points(test.Mean, signed: true)} points " +
               $"({interval}) {seeds} — more seeds or more data would be needed{SeedsHint(test)}";
    }

    /// <summary>A planning figure, not a finding: how many seeds would catch a difference of the size seen, at the
    /// spread seen, 4 times in 5. Both are estimates from few seeds, hence "about".</summary>
    private static string SeedsHint(PairedComparison test) => test.SeedsFor80PercentPower() switch
    {
        { } n when n > test.Count => $" (if the difference and spread seen here held, about {n} seeds would show it 4 times in 5)",
        _ => "",
    };

    private static string Points(double fraction, bool signed = false) =>
        (fraction * 100).ToString(signed ? "+0.0;-0.0;0.0" : "0.0", CultureInfo.InvariantCulture);

    private static string P(double p) => p < 0.001 ? "< 0.001" : "= " + p.ToString("0.000", CultureInfo.InvariantCulture);
}
