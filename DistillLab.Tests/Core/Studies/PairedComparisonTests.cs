using DistillLab.Tests.Support;
using DistillLab.Core.Studies;

namespace DistillLab.Tests.Core.Studies;

public sealed class PairedComparisonTests
{
    // Hand-computed: differences 1, 2, 3 -> mean 2, sd 1, se 1/sqrt(3); t(0.975, 2) = 4.302653 (tables);
    // t = 2 * sqrt(3) = 3.4641016; Student's t with 2 degrees of freedom has the closed-form two-sided tail
    // p = 1 - t / sqrt(2 + t^2) = 1 - 3.4641016 / sqrt(14) = 0.0741799.
    [Fact]
    public void ThreeSeedsGiveTheMeanTheTBasedIntervalAndThePairedPValue()
    {
        var c = PairedComparison.Of([0.80, 0.72, 0.93], [0.79, 0.70, 0.90]);

        Assert.Equal(3, c.Count);
        Assert.Equal(0.02, c.Mean, 12);
        Assert.Equal(0.01, c.StandardDeviation, 12);
        double halfWidth = 4.302653 * 0.01 / Math.Sqrt(3);
        Assert.Equal(0.02 - halfWidth, c.Ci95Low, 6);
        Assert.Equal(0.02 + halfWidth, c.Ci95High, 6);
        Assert.Equal(0.0741799, c.PValue, 6);
    }

    // Differences 0.5, 1.5, 1, 2, 0 -> mean 1, sd sqrt(0.625) = 0.7905694, se 0.3535534; t(0.975, 4) = 2.776445;
    // t = 2.8284271; with 4 degrees of freedom the CDF is 1/2 + (3/8) x (1 - x^2 / 6) / ... in closed form:
    // F(t) = 1/2 + 3/8 * (t / sqrt(1 + t^2/4)) * (1 - t^2 / (12 (1 + t^2/4))) = 0.9762897, so p = 2 (1 - F) = 0.0474207.
    [Fact]
    public void FiveSeedsUseFourDegreesOfFreedom()
    {
        var c = PairedComparison.OfDifferences([0.5, 1.5, 1.0, 2.0, 0.0]);

        Assert.Equal(1.0, c.Mean, 12);
        Assert.Equal(Math.Sqrt(0.625), c.StandardDeviation, 12);
        Assert.Equal(1 - 2.776445 * 0.3535534, c.Ci95Low, 5);
        Assert.Equal(1 + 2.776445 * 0.3535534, c.Ci95High, 5);
        Assert.Equal(0.0474207, c.PValue, 6);
    }

    [Fact]
    public void TheIntervalIsSymmetricAndANegativeMeanGivesTheSameTwoSidedPValue()
    {
        var up = PairedComparison.OfDifferences([1, 2, 3]);
        var down = PairedComparison.OfDifferences([-1, -2, -3]);
        Assert.Equal(up.PValue, down.PValue, 12);
        Assert.Equal(-up.Ci95High, down.Ci95Low, 12);
    }

    [Fact]
    public void IdenticalDifferencesGiveAPointIntervalAndNoNaN()
    {
        var same = PairedComparison.OfDifferences([0.01, 0.01, 0.01]);
        Assert.Equal((0.01, 0.01, 0.0), (same.Ci95Low, same.Ci95High, same.PValue));
        var none = PairedComparison.OfDifferences([0, 0]);
        Assert.Equal(1.0, none.PValue);
    }

    [Fact]
    public void OnePairOrUnequalListsAreRefused()
    {
        Assert.Contains("at least two", Assert.Throws<ArgumentException>(() => PairedComparison.OfDifferences([0.1])).Message);
        Assert.Throws<ArgumentException>(() => PairedComparison.Of([0.1, 0.2], [0.1]));
    }

    // Seeds for 80 % power: the smallest n with n >= ((t(0.975, n-1) + t(0.80, n-1)) * sd / |mean|)^2. From t tables:
    // sd = |mean|: n = 9 needs (2.306 + 0.889)^2 = 10.21 > 9, n = 10 needs (2.262 + 0.883)^2 = 9.89 <= 10, so 10.
    // sd = |mean| / 2: n = 4 needs (3.182 + 0.978)^2 / 4 = 4.33 > 4, n = 5 needs (2.776 + 0.941)^2 / 4 = 3.45, so 5.
    [Fact]
    public void SeedsForEightyPercentPowerFollowTheTBasedSampleSizeFormula()
    {
        Assert.Equal(10, PairedComparison.SeedsFor80PercentPower(0.02, 0.02));
        Assert.Equal(10, PairedComparison.SeedsFor80PercentPower(-0.02, 0.02));
        Assert.Equal(5, PairedComparison.SeedsFor80PercentPower(0.02, 0.01));
        Assert.Equal(2, PairedComparison.SeedsFor80PercentPower(0.02, 0));
        Assert.Null(PairedComparison.SeedsFor80PercentPower(0, 0.02));
        Assert.Null(PairedComparison.SeedsFor80PercentPower(0.0001, 0.02)); // about 80,000: past the 1,000 offered
    }

    [Fact]
    public void ASettingsSeedsEstimateReadsTheSpreadBackFromItsInterval()
    {
        // Differences 3, -1, 1 points: mean 1, sd 2, so 34 seeds (the hand computation under this test).
        var seen = PairedComparison.OfDifferences([0.03, -0.01, 0.01]);
        Assert.Equal(0.02, PairedComparison.SpreadFromInterval(seen.Ci95Low, seen.Ci95High, 3)!.Value, 12);
        var setting = new SettingSummary(0.05, 5, false, 3, 0.8, seen.Mean, [seen.Ci95Low, seen.Ci95High]);
        Assert.Equal(34, setting.SeedsFor80PercentPower);

        Assert.Null(PairedComparison.SpreadFromInterval(0, 0, 1));
        Assert.Null((setting with { Seeds = 1 }).SeedsFor80PercentPower);
        Assert.Null((setting with { Ci95 = null }).SeedsFor80PercentPower);
        Assert.Null((setting with { MeanDelta = 0 }).SeedsFor80PercentPower);
    }

    // Differences 3, -1, 1 points: mean 1, sd 2, so sd = 2 |mean|: n = 33 needs 4 (2.037 + 0.853)^2 = 33.4 > 33,
    // n = 34 needs 4 (2.035 + 0.853)^2 = 33.36 <= 34.
    [Fact]
    public void ANoDifferenceVerdictSaysHowManySeedsWouldShowTheDifferenceSeenAndOtherVerdictsDoNot()
    {
        var setting = new StudySetting(0.05, 5, false);

        string unclear = StudyVerdict.Sentence(setting, PairedComparison.OfDifferences([0.03, -0.01, 0.01]));
        Assert.StartsWith("no difference detected", unclear);
        Assert.EndsWith("more seeds or more data would be needed (if the difference and spread seen here held, about 34 seeds would show it 4 times in 5)", unclear);

        string clear = StudyVerdict.Sentence(setting, PairedComparison.OfDifferences([0.02, 0.03, 0.025]));
        Assert.StartsWith("distillation with α=0.05, T=5 helps by 2.5 points", clear);
        Assert.DoesNotContain("seeds would", clear);

        string none = StudyVerdict.Sentence(setting, PairedComparison.OfDifferences([0.01, -0.01]));
        Assert.EndsWith("more seeds or more data would be needed", none);
    }
}
