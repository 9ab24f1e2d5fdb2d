using DistillLab.Core.Data;
using DistillLab.Core.Data.Synthetic;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data.Synthetic;

/// <summary>The built-in set's split (50/25/25) and its training-label noise, as the data loader delivers them.</summary>
public class SyntheticSplitTests
{
    // Large enough that no two of a few thousand pictures are the same bytes: pictures are found again by their pixels.
    private const int Size = 24;

    private static LabData Load(LabEnvironment environment, int? limit = null, int seed = 42)
        => DataLoader.Load(new DataRequest("synthetic", Size, limit, seed, environment), null, CancellationToken.None);

    /// <summary>Each delivered picture, found in the pool the generator drew, with the label the generator gave it.</summary>
    private static int[] TrueLabels(ImageSet split, ImageSet pool)
    {
        var byPixels = Enumerable.Range(0, pool.Count).ToDictionary(i => Convert.ToBase64String(pool.Image(i)), i => pool.Labels[i]);
        return Enumerable.Range(0, split.Count).Select(i => byPixels[Convert.ToBase64String(split.Image(i))]).ToArray();
    }

    private static int Disagreements(ImageSet split, ImageSet pool)
        => split.Labels.Zip(TrueLabels(split, pool)).Count(p => p.First != p.Second);

    [Fact]
    public void TheDefaultPoolSplitsIntoFourThousandTwoThousandTwoThousand()
    {
        using var temp = new TempFolder();
        var data = Load(temp.Environment());

        Assert.Equal((4000, 2000, 2000), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal(SyntheticCatsDogs.SplitRule, data.Split);
        Assert.Equal("seeded shuffle, 50/25/25; 10 % of training labels flipped", data.Split);
        Assert.Equal(0.10, SyntheticCatsDogs.TrainingLabelNoise);
    }

    [Theory]
    [InlineData(40, 20, 10, 10)]
    [InlineData(1001, 500, 250, 251)]
    public void ALimitedPoolKeepsTheShares(int limit, int train, int validation, int test)
    {
        using var temp = new TempFolder();
        var data = Load(temp.Environment(), limit: limit);

        Assert.Equal((train, validation, test), (data.Train.Count, data.Validation.Count, data.Test.Count));
    }

    [Theory]
    [InlineData(42)]
    [InlineData(7)]
    public void ExactlyATenthOfTheTrainingLabelsAreFlippedAndNoValidationOrTestLabel(int seed)
    {
        using var temp = new TempFolder();
        var data = Load(temp.Environment(), limit: 2000, seed: seed);
        var pool = SyntheticCatsDogs.Generate(2000, Size, seed);

        Assert.Equal(100, Disagreements(data.Train, pool));
        Assert.Equal(0, Disagreements(data.Validation, pool));
        Assert.Equal(0, Disagreements(data.Test, pool));
        // Both ways: cats called dogs and dogs called cats, neither class left out.
        var flipped = data.Train.Labels.Zip(TrueLabels(data.Train, pool)).Where(p => p.First != p.Second).ToList();
        Assert.InRange(flipped.Count(p => p.Second == 0), 30, 70);
    }

    [Theory]
    [InlineData(42)]
    [InlineData(7)]
    public void EveryPictureIsInExactlyOneSplit(int seed)
    {
        using var temp = new TempFolder();
        var data = Load(temp.Environment(), limit: 2000, seed: seed);

        var seen = new[] { data.Train, data.Validation, data.Test }
            .SelectMany(split => Enumerable.Range(0, split.Count).Select(i => Convert.ToBase64String(split.Image(i)))).ToList();
        Assert.Equal(2000, seen.Distinct().Count());
    }

    [Fact]
    public void TheSplitAndTheNoiseAreTheSameOnEveryLoadAndDifferBetweenSeeds()
    {
        using var temp = new TempFolder();
        var first = Load(temp.Environment(), limit: 400);
        var again = Load(temp.Environment(), limit: 400);
        Assert.Equal(first.Train.Labels, again.Train.Labels);
        Assert.Equal(first.Test.Image(0).ToArray(), again.Test.Image(0).ToArray());

        var pool = SyntheticCatsDogs.Generate(400, Size, 42);
        var (train, _, _) = SyntheticCatsDogs.Shares.Apply(pool, 42);
        var at42 = SyntheticCatsDogs.FlipTrainingLabels(train, SyntheticCatsDogs.TrainingLabelNoise, 42);
        var at43 = SyntheticCatsDogs.FlipTrainingLabels(SyntheticCatsDogs.Shares.Apply(pool, 42).Train, SyntheticCatsDogs.TrainingLabelNoise, 43);
        Assert.Equal(20, at42.Length);
        Assert.NotEqual(at42, at43);
        Assert.Equal(first.Train.Labels, train.Labels);
        Assert.NotEqual(PoolSplit.Shuffled(400, 42), PoolSplit.Shuffled(400, 43));
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.25, 25)]
    [InlineData(1.0, 100)]
    public void FlipTrainingLabelsFlipsTheRoundedShareOnce(double rate, int expected)
    {
        var set = new ImageSet(new byte[100 * 3], Enumerable.Range(0, 100).Select(i => i % 2).ToArray(), 3, 1);
        var chosen = SyntheticCatsDogs.FlipTrainingLabels(set, rate, seed: 1);

        Assert.Equal(expected, chosen.Length);
        Assert.Equal(chosen.Length, chosen.Distinct().Count());
        Assert.Equal(chosen.Order().ToArray(), chosen);
        Assert.Equal(expected, Enumerable.Range(0, 100).Count(i => set.Labels[i] != i % 2));
    }

    [Fact]
    public void PhotosKeepTheLabsEightyTenTen()
    {
        Assert.Equal(PoolSplit.Lab, PoolSplit.For("petimages"));
        Assert.Equal(PoolSplit.Lab, PoolSplit.For("folder:/data/pets"));
        Assert.Equal(SyntheticCatsDogs.Shares, PoolSplit.For("synthetic"));
        Assert.Equal((4000, 500, 500), PoolSplit.For("petimages").SizesOf(5000));
        Assert.Equal((4000, 2000, 2000), PoolSplit.For("synthetic").SizesOf(SyntheticCatsDogs.DefaultCount));
    }
}
