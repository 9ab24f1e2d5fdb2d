using DistillLab.Tests.Support;
using DistillLab.Core.Studies;

namespace DistillLab.Tests.Core.Studies;

public sealed class HalvingPrunerTests
{
    [Theory]
    [InlineData(1, new int[0])]
    [InlineData(2, new[] { 1 })]
    [InlineData(5, new[] { 1, 3 })]
    [InlineData(9, new[] { 1, 3 })]
    [InlineData(10, new[] { 1, 3, 9 })]
    public void RungsArePowersOfThreeBeforeTheLastEpoch(int epochs, int[] rungs) =>
        Assert.Equal(rungs, HalvingPruner.Rungs(epochs));

    /// <summary>Scripted validation curves (5 epochs, rungs after 1 and 3), run in order on one seed.</summary>
    [Fact]
    public void ATrialGoesOnOnlyWhenInTheTopThirdOfItsSeedsValuesAtTheRung()
    {
        var pruner = new HalvingPruner(studentEpochs: 5);
        // 1st at rung 1: alone, goes on. 2nd: 0.60 < 0.70, top ceil(2/3) = 1 -> stops.
        Assert.True(pruner.Continue(42, 1, 0.70));
        Assert.False(pruner.Continue(42, 1, 0.60));
        // 3rd: 0.75 is the best of three -> goes on. 4th: top ceil(4/3) = 2 of {0.70, 0.60, 0.75, 0.72} -> 0.72 goes on.
        Assert.True(pruner.Continue(42, 1, 0.75));
        Assert.True(pruner.Continue(42, 1, 0.72));
        // 5th: top 2 of five are 0.75 and 0.72: 0.71 stops; a tie with the cut-off goes on.
        Assert.False(pruner.Continue(42, 1, 0.71));
        Assert.True(pruner.Continue(42, 1, 0.72));
        // Epoch 2 is no rung: nothing is recorded, everything goes on.
        Assert.True(pruner.Continue(42, 2, 0.01));
        // Rung 3 keeps its own list: the first one there goes on whatever its value.
        Assert.True(pruner.Continue(42, 3, 0.50));
        // The last epoch is no rung.
        Assert.True(pruner.Continue(42, 5, 0.01));
    }

    [Fact]
    public void SeedsAreComparedSeparately()
    {
        var pruner = new HalvingPruner(5);
        Assert.True(pruner.Continue(42, 1, 0.90));
        Assert.True(pruner.Continue(43, 1, 0.50)); // first on seed 43, though far below seed 42's
        Assert.False(pruner.Continue(43, 1, 0.40));
    }

    [Fact]
    public void ReplayingFinishedCurvesDecidesTheNextTrialAsAnUninterruptedStudyWould()
    {
        double[][] finished = [[0.70, 0.72, 0.74, 0.75, 0.76], [0.60]];
        var uninterrupted = new HalvingPruner(5);
        Assert.True(uninterrupted.Continue(42, 1, 0.70));
        Assert.True(uninterrupted.Continue(42, 3, 0.74));
        Assert.False(uninterrupted.Continue(42, 1, 0.60));

        var resumed = new HalvingPruner(5);
        foreach (var curve in finished) resumed.Replay(42, curve);

        Assert.Equal(uninterrupted.Continue(42, 1, 0.69), resumed.Continue(42, 1, 0.69));
        Assert.Equal(uninterrupted.Continue(42, 3, 0.73), resumed.Continue(42, 3, 0.73));
    }
}
