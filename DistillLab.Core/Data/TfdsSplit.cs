using System.Security.Cryptography;
using System.Text;

namespace DistillLab.Core.Data;

/// <summary>The reference lab's split of Cats vs Dogs, rebuilt from TFDS's source: the builder keys each record by its
/// archive path ("PetImages/Cat/0.jpg"), the writer orders records by md5(split name + key) read as a 128-bit integer,
/// and `train[:80%]`, `train[80%:90%]`, `train[90%:]` cut that order at the closest record (18,610 / 2,326 / 2,326 of
/// the 23,262 photos).</summary>
public static class TfdsSplit
{
    public const string Salt = "train";

    /// <summary>How a checkpoint names this split in its record of what it was trained on.</summary>
    public const string Rule = "tfds: md5 record order, closest 80/10/10";

    /// <summary>Indices of <paramref name="keys"/> in TFDS's record order.</summary>
    public static int[] Order(IReadOnlyList<string> keys)
    {
        byte[] salt = Encoding.UTF8.GetBytes(Salt);
        var hashes = keys.Select(k =>
        {
            // TFDS writes keys with forward slashes whatever the platform.
            byte[] key = Encoding.UTF8.GetBytes(k.Replace('\\', '/'));
            return MD5.HashData([.. salt, .. key]);
        }).ToArray();
        var order = Enumerable.Range(0, keys.Count).ToArray();
        // Big-endian bytes compare as the integers Python's int(hexdigest, 16) makes of them.
        Array.Sort(order, (a, b) => hashes[a].AsSpan().SequenceCompareTo(hashes[b]));
        return order;
    }

    /// <summary>Split sizes with TFDS's "closest" rounding of percent boundaries: round(count * pct / 100) as Python
    /// rounds, halves to even.</summary>
    public static (int Train, int Validation, int Test) Sizes(int count)
    {
        int Boundary(int percent) => (int)Math.Round((double)percent * count / 100.0, MidpointRounding.ToEven);
        int trainEnd = Boundary(80), validationEnd = Boundary(90);
        return (trainEnd, validationEnd - trainEnd, count - validationEnd);
    }

    /// <summary>The three splits of a pool whose images carry these TFDS keys, in TFDS's order.</summary>
    public static (ImageSet Train, ImageSet Validation, ImageSet Test) Split(ImageSet pool, IReadOnlyList<string> keys)
    {
        if (keys.Count != pool.Count)
            throw new ArgumentException($"{keys.Count} keys for a pool of {pool.Count} images.", nameof(keys));
        var order = Order(keys);
        var (train, validation, _) = Sizes(pool.Count);
        return (pool.Select(order[..train]), pool.Select(order[train..(train + validation)]), pool.Select(order[(train + validation)..]));
    }
}
