namespace DistillLab.Core.Data;

/// <summary>The lab's split of a single pool: seeded shuffle, then 80 % train, 10 % validation, the rest test.</summary>
public static class PoolSplit
{
    /// <summary>The rule's name, stored with trained models: a different rule splits the same pool differently.</summary>
    public const string Rule = "seeded shuffle, 80/10/10";

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

    /// <summary>How many images each split of a pool of <paramref name="count"/> gets.</summary>
    public static (int Train, int Validation, int Test) Sizes(int count)
    {
        int train = (int)(count * 8L / 10);
        int validation = (int)(count * 1L / 10);
        return (train, validation, count - train - validation);
    }

    /// <summary>Train = floor(80 %), validation = floor(10 %), test = the rest, taken in shuffled order.</summary>
    public static (ImageSet Train, ImageSet Validation, ImageSet Test) Split(ImageSet pool, int seed)
    {
        var order = Shuffled(pool.Count, seed);
        var (train, validation, _) = Sizes(pool.Count);
        return (pool.Select(order[..train]),
                pool.Select(order[train..(train + validation)]),
                pool.Select(order[(train + validation)..]));
    }
}
