namespace DistillLab.Core.Data;

/// <summary>A single pool's split: seeded shuffle, then a share for training, a share for validation, the rest test.</summary>
/// <remarks>Photos (petimages, folder) take the reference lab's 80/10/10 (<see cref="Lab"/>). The built-in synthetic set,
/// which can draw as many pictures as wanted, takes 50/25/25 (<see cref="Synthetic.SyntheticCatsDogs.Shares"/>): the same
/// 4,000 training pictures as before, and validation and test splits large enough to see a few points' difference.</remarks>
/// <param name="TrainPercent">Whole percent of the pool for training.</param>
/// <param name="ValidationPercent">Whole percent of the pool for validation; test takes the rest.</param>
public sealed record PoolSplit(int TrainPercent, int ValidationPercent)
{
    /// <summary>The reference lab's 80/10/10.</summary>
    public static readonly PoolSplit Lab = new(80, 10);

    /// <summary>The lab rule's name, stored with trained models: a different rule splits the same pool differently.</summary>
    public const string Rule = "seeded shuffle, 80/10/10";

    /// <summary>The shares a source's single pool is split by: the synthetic set's own, else the lab's.</summary>
    public static PoolSplit For(string source)
        => DataSourceSpec.IsSynthetic(source) ? Synthetic.SyntheticCatsDogs.Shares : Lab;

    /// <summary>Fisher-Yates with new Random(seed): the same seed gives the same permutation on every machine.</summary>
    public static int[] Shuffled(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        var random = new Random(seed);
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>How many images each split of a pool of <paramref name="count"/> gets under the lab's 80/10/10.</summary>
    public static (int Train, int Validation, int Test) Sizes(int count) => Lab.SizesOf(count);

    /// <summary>The lab's 80/10/10 split of <paramref name="pool"/>.</summary>
    public static (ImageSet Train, ImageSet Validation, ImageSet Test) Split(ImageSet pool, int seed) => Lab.Apply(pool, seed);

    /// <summary>How many images each split of a pool of <paramref name="count"/> gets: floors of the shares, test the rest.</summary>
    public (int Train, int Validation, int Test) SizesOf(int count)
    {
        int train = (int)(count * (long)TrainPercent / 100);
        int validation = (int)(count * (long)ValidationPercent / 100);
        return (train, validation, count - train - validation);
    }

    /// <summary>Train = floor of its share, validation = floor of its share, test = the rest, taken in shuffled order.</summary>
    public (ImageSet Train, ImageSet Validation, ImageSet Test) Apply(ImageSet pool, int seed)
    {
        var order = Shuffled(pool.Count, seed);
        var (train, validation, _) = SizesOf(pool.Count);
        return (pool.Select(order[..train]),
                pool.Select(order[train..(train + validation)]),
                pool.Select(order[(train + validation)..]));
    }
}
