using DistillLab.Tests.Support;
using DistillLab.Core.Insight;
using static DistillLab.Tests.Core.Insight.Logits;

namespace DistillLab.Tests.Core.Insight;

public class SoftmaxTests
{
    [Fact]
    public void ProbabilitiesOfRoundNumberLogitsAreTheRoundNumbers()
    {
        // exp(0), exp(ln 6), exp(ln 3) = 1, 6, 3; sum 10.
        Assert.Equal([0.1, 0.6, 0.3], Softmax.Probabilities([0f, Ln(6), Ln(3)]), new Tolerance(1e-7));
        Assert.Equal([1.0 / 3, 1.0 / 3, 1.0 / 3], Softmax.Probabilities([0f, 0f, 0f]));
    }

    [Fact]
    public void HugeLogitsNeitherOverflowNorLoseTheirDifference()
    {
        // exp(1000) overflows a double; softmax depends only on the difference, 1: e / (1 + e) = 0.7310586.
        Assert.Equal([0.7310586, 0.2689414], Softmax.Probabilities([1000f, 999f]), new Tolerance(1e-7));
        var log = Softmax.LogProbabilities([1000f, 0f]);
        Assert.Equal(0, log[0], 1e-12);
        Assert.Equal(-1000, log[1], 1e-9); // finite, although exp(-1000) is 0 in a double
    }

    [Fact]
    public void ArgMaxTakesTheFirstOfTiedLogitsAsTorchDoes()
    {
        Assert.Equal(1, Softmax.ArgMax([0f, 2f, 2f]));
        Assert.Equal(0, Softmax.ArgMax([1f, 1f]));
    }

    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
