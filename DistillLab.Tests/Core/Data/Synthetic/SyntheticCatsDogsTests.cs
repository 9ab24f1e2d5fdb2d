using DistillLab.Core.Data;
using DistillLab.Core.Data.Synthetic;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data.Synthetic;

public class SyntheticCatsDogsTests
{
    [Fact]
    public void SameSeedCountAndSizeGiveIdenticalBytes()
    {
        var first = SyntheticCatsDogs.Generate(64, 64, seed: 7);
        var second = SyntheticCatsDogs.Generate(64, 64, seed: 7);

        Assert.Equal(first.AllPixels(), second.AllPixels());
        Assert.Equal(first.Labels, second.Labels);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentPictures()
    {
        var a = SyntheticCatsDogs.Generate(16, 64, seed: 1);
        var b = SyntheticCatsDogs.Generate(16, 64, seed: 2);

        for (int i = 0; i < a.Count; i++)
            Assert.False(a.Image(i).SequenceEqual(b.Image(i)), $"picture {i} is the same under seeds 1 and 2");
    }

    [Fact]
    public void EveryPictureInASetIsDifferent()
    {
        var set = SyntheticCatsDogs.Generate(200, 48, seed: 3);
        var distinct = Enumerable.Range(0, set.Count).Select(i => Convert.ToBase64String(set.Image(i))).Distinct().Count();

        Assert.Equal(set.Count, distinct);
    }

    [Fact]
    public void ASmallerSetIsThePrefixOfALargerOne()
    {
        var small = SyntheticCatsDogs.Generate(10, 64, seed: 42);
        var large = SyntheticCatsDogs.Generate(100, 64, seed: 42);

        Assert.Equal(small.AllPixels(), large.AllPixels().AsSpan(0, small.AllPixels().Length).ToArray());
        Assert.Equal(small.Labels, large.Labels[..10]);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(999)]
    public void ClassesAreBalanced(int count)
    {
        var set = SyntheticCatsDogs.Generate(count, 46, seed: 42);

        int cats = set.Labels.Count(l => l == 0), dogs = set.Labels.Count(l => l == 1);
        Assert.Equal(count, cats + dogs);
        Assert.InRange(cats - dogs, 0, 1);
    }

    [Fact]
    public void ClassNamesAreCatThenDog()
        => Assert.Equal(["cat", "dog"], SyntheticCatsDogs.Classes);

    [Theory]
    [InlineData(46)]
    [InlineData(64)]
    [InlineData(224)]
    public void PicturesHaveTheRequestedShapeAndAreNotBlank(int size)
    {
        var set = SyntheticCatsDogs.Generate(12, size, seed: 5);

        Assert.Equal(12, set.Count);
        Assert.Equal(3, set.Channels);
        Assert.Equal(size, set.ImageSize);
        Assert.Equal(12L * 3 * size * size, set.AllPixels().LongLength);
        for (int i = 0; i < set.Count; i++)
        {
            var image = set.Image(i);
            Assert.True(PixelStats.StandardDeviation(image) > 10, $"picture {i} at {size} px is nearly flat");
        }
    }

    [Fact]
    public void ZeroPicturesGiveAnEmptySet()
    {
        var set = SyntheticCatsDogs.Generate(0, 64, seed: 1);

        Assert.Equal(0, set.Count);
        Assert.Empty(set.AllPixels());
    }

    [Fact]
    public void NegativeCountIsRefused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticCatsDogs.Generate(-1, 64, seed: 1));

    [Fact]
    public void TheDefaultSetOf8000PicturesAt64PxIsGenerated()
    {
        var set = SyntheticCatsDogs.Generate(SyntheticCatsDogs.DefaultCount, 64, seed: 42);

        Assert.Equal(8000, set.Count);
        Assert.Equal(4000, set.Labels.Count(l => l == 1));
    }
}
