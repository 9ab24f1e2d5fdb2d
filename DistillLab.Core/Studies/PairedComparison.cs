using MathNet.Numerics.Distributions;

namespace DistillLab.Core.Studies;

/// <summary>A paired comparison over seeds: per-seed differences (treated - control), their mean, standard deviation,
/// 95% confidence interval (Student's t, n - 1 degrees of freedom) and the two-sided paired t-test's p-value.</summary>
public sealed record PairedComparison(IReadOnlyList<double> Differences, double Mean, double StandardDeviation,
    double Ci95Low, double Ci95High, double PValue)
{
    public int Count => Differences.Count;

    /// <summary>Compares <paramref name="treated"/>[i] with <paramref name="control"/>[i] for each i (one pair per seed).</summary>
    /// <exception cref="ArgumentException">Fewer than two pairs (no interval from one), or lists of different lengths.</exception>
    public static PairedComparison Of(IReadOnlyList<double> treated, IReadOnlyList<double> control)
    {
        if (treated.Count != control.Count)
            throw new ArgumentException($"Paired values come in pairs: {treated.Count} treated, {control.Count} control.");
        return OfDifferences(treated.Zip(control, (t, c) => t - c).ToList());
    }

    public static PairedComparison OfDifferences(IReadOnlyList<double> differences)
    {
        int n = differences.Count;
        if (n < 2) throw new ArgumentException($"A confidence interval needs at least two pairs; got {n}.");
        double mean = differences.Average();
        double sd = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (n - 1));
        double se = sd / Math.Sqrt(n);
        if (se == 0)
        {
            // Every seed gave the same difference: no spread to scale by. The interval is that point, and the
            // difference is certain (p = 0) unless it is none at all (p = 1). NaN would not survive JSON.
            return new PairedComparison(differences, mean, 0, mean, mean, mean == 0 ? 1 : 0);
        }
        double critical = StudentT.InvCDF(0, 1, n - 1, 0.975);
        double t = mean / se;
        double p = 2 * StudentT.CDF(0, 1, n - 1, -Math.Abs(t));
        return new PairedComparison(differences, mean, sd, mean - critical * se, mean + critical * se, Math.Min(1, p));
    }

    /// <summary>How many seeds a study would need to detect a difference of this mean at this spread 4 times in 5
    /// (80 % power, two-sided paired t-test at 5 %); null when there is no difference to detect or over 1,000 seeds.</summary>
    public int? SeedsFor80PercentPower() => SeedsFor80PercentPower(Mean, StandardDeviation);

    /// <summary>The smallest n with n ≥ ((t(0.975, n-1) + t(0.80, n-1)) · sd / |mean|)², the usual sample size of a
    /// paired t-test, with t's quantiles at the n being tried rather than the normal's.</summary>
    public static int? SeedsFor80PercentPower(double mean, double standardDeviation)
    {
        if (mean == 0 || !double.IsFinite(mean) || !double.IsFinite(standardDeviation)) return null;
        if (standardDeviation == 0) return 2;
        double ratio = standardDeviation / Math.Abs(mean);
        for (int n = 2; n <= MaxSeedsToSuggest; n++)
        {
            double quantiles = StudentT.InvCDF(0, 1, n - 1, 0.975) + StudentT.InvCDF(0, 1, n - 1, 0.80);
            if (n >= quantiles * quantiles * ratio * ratio) return n;
        }
        return null;
    }

    /// <summary>The per-seed standard deviation behind a 95% interval over <paramref name="seeds"/> seeds (the interval's
    /// half-width is t(0.975, n-1) · sd / √n); null with fewer than two seeds, which give no interval.</summary>
    public static double? SpreadFromInterval(double ci95Low, double ci95High, int seeds) => seeds < 2
        ? null
        : (ci95High - ci95Low) / 2 * Math.Sqrt(seeds) / StudentT.InvCDF(0, 1, seeds - 1, 0.975);

    private const int MaxSeedsToSuggest = 1000;
}
