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
}
