using DistillLab.Tests.Support;
using DistillLab.Core.Insight;
using static DistillLab.Tests.Core.Insight.Logits;

namespace DistillLab.Tests.Core.Insight;

public class CalibrationTests
{
    [Fact]
    public void EceIsTheCountWeightedGapBetweenAccuracyAndConfidenceOverTheBins()
    {
        // Confidence (largest softmax probability), predicted class, label, bin of 15 (0-based: (b/15, (b+1)/15]):
        //   0.9  class 0, label 0, right   bin 13 (0.8667, 0.9333]
        //   0.9  class 1, label 0, wrong   bin 13
        //   0.75 class 0, label 0, right   bin 11 (0.7333, 0.8]
        //   0.5  class 0 (tie), label 1, wrong   bin 7 (0.4667, 0.5333]
        //   0.95 class 1, label 1, right   bin 14 (0.9333, 1]
        // ECE = |0.5 - 0.9| * 2/5 + |1 - 0.75| * 1/5 + |0 - 0.5| * 1/5 + |1 - 0.95| * 1/5 = 0.16 + 0.05 + 0.1 + 0.01 = 0.32
        float[][] logits = [Two(0.9), Two(0.1), Two(0.75), [0f, 0f], Two(0.05)];
        var calibration = Calibration.Of(logits, [0, 0, 0, 1, 1]);

        Assert.Equal(0.32, calibration.Ece, 1e-6);
        Assert.Equal(15, calibration.Bins.Count);
        var bin13 = calibration.Bins[13];
        Assert.Equal(2, bin13.Count);
        Assert.Equal(0.9, bin13.MeanConfidence!.Value, 1e-6);
        Assert.Equal(0.5, bin13.Accuracy);
        Assert.Equal((1, 1.0), (calibration.Bins[11].Count, calibration.Bins[11].Accuracy!.Value));
        Assert.Equal((1, 0.0), (calibration.Bins[7].Count, calibration.Bins[7].Accuracy!.Value));
        Assert.Equal(0.95, calibration.Bins[14].MeanConfidence!.Value, 1e-6);
        Assert.Equal(5, calibration.Bins.Sum(b => b.Count));
    }

    [Fact]
    public void EmptyBinsCountZeroHaveNoConfidenceOrAccuracyAndAddNothing()
    {
        var calibration = Calibration.Of([Two(0.9), Two(0.1)], [0, 0]);
        var empty = calibration.Bins.Where((_, b) => b != 13).ToList();
        Assert.Equal(14, empty.Count);
        Assert.All(empty, b => Assert.Equal((0, (double?)null, (double?)null), (b.Count, b.MeanConfidence, b.Accuracy)));
        Assert.Equal(0.4, calibration.Ece, 1e-6); // bin 13 alone: |0.5 - 0.9|
    }

    [Fact]
    public void AModelRightAsOftenAsItIsSureHasZeroEce()
    {
        // Both images at confidence 0.5, one right: accuracy 0.5 = confidence 0.5.
        Assert.Equal(0, Calibration.Of([[0f, 0f], [0f, 0f]], [0, 1]).Ece);
    }

    [Fact]
    public void BinsAreEqualWidthFromZeroToOne()
    {
        var bins = Calibration.Of([[0f, 0f]], [0]).Bins;
        Assert.Equal(0, bins[0].Lower);
        Assert.Equal(1, bins[^1].Upper);
        for (int b = 0; b < 15; b++)
        {
            Assert.Equal(b / 15.0, bins[b].Lower);
            Assert.Equal((b + 1) / 15.0, bins[b].Upper);
        }
    }

    [Fact]
    public void AConfidenceOnAnEdgeBelongsToTheBinBelowItAndZeroToTheFirst()
    {
        Assert.Equal(0, Calibration.BinOf(0, 15));
        for (int k = 1; k <= 15; k++)
        {
            double edge = k / 15.0;
            Assert.Equal(k - 1, Calibration.BinOf(edge, 15)); // upper edge included
            if (k < 15) Assert.Equal(k, Calibration.BinOf(Math.BitIncrement(edge), 15)); // lower edge excluded
        }
        Assert.Equal(7, Calibration.BinOf(0.5, 15));
    }

    [Fact]
    public void ThreeTiedClassesGiveConfidenceExactlyOneThirdWhichIsTheUpperEdgeOfBinFour()
    {
        // 1/3 = 5/15 exactly (both are the same double), so it goes in (4/15, 5/15], not (5/15, 6/15].
        // [100, 0, 0] gives confidence 1 (e^-100 is lost next to 1): the last bin, whose upper edge is 1.
        var calibration = Calibration.Of([[0f, 0f, 0f], [100f, 0f, 0f]], [2, 0]);
        Assert.Equal(1, calibration.Bins[4].Count);
        Assert.Equal(1.0 / 3, calibration.Bins[4].MeanConfidence);
        Assert.Equal(0.0, calibration.Bins[4].Accuracy); // predicted class 0 (first of the tie), label 2
        Assert.Equal(0, calibration.Bins[5].Count);
        Assert.Equal((1, 1.0, 1.0), (calibration.Bins[14].Count, calibration.Bins[14].MeanConfidence!.Value, calibration.Bins[14].Accuracy!.Value));
        Assert.Equal((1.0 / 3) / 2, calibration.Ece, 1e-12); // |0 - 1/3| / 2 + |1 - 1| / 2
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void AConfidenceOutsideZeroToOneIsRefused(double confidence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.BinOf(confidence, 15));
    }
}
