using System.Numerics;
using System.Runtime.InteropServices;

namespace DistillLab.Core.Data;

/// <summary>A fast non-cryptographic 64-bit checksum (xxHash64-style rounds over four lanes).</summary>
/// <remarks>Guards the decode cache against bit rot and half-written files at memory speed;
/// a cryptographic hash would add seconds to every cached load of a large set.</remarks>
internal static class Checksum64
{
    private const ulong P1 = 11400714785074694791UL, P2 = 14029467366897019727UL, P3 = 1609587929392839161UL;

    public static ulong Compute(ReadOnlySpan<byte> data, ulong seed = 0)
    {
        ulong a = seed + P1 + P2, b = seed + P2, c = seed, d = seed - P1;
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        int i = 0;
        for (; i + 4 <= words.Length; i += 4)
        {
            a = Round(a, words[i]);
            b = Round(b, words[i + 1]);
            c = Round(c, words[i + 2]);
            d = Round(d, words[i + 3]);
        }
        ulong h = BitOperations.RotateLeft(a, 1) + BitOperations.RotateLeft(b, 7)
                + BitOperations.RotateLeft(c, 12) + BitOperations.RotateLeft(d, 18) + (ulong)data.Length;
        for (; i < words.Length; i++) h = BitOperations.RotateLeft(h ^ Round(0, words[i]), 27) * P1 + P3;
        foreach (byte rest in data[(words.Length * 8)..]) h = BitOperations.RotateLeft(h ^ (rest * P3), 11) * P1;
        h ^= h >> 33; h *= P2; h ^= h >> 29; h *= P3; h ^= h >> 32;
        return h;
    }

    private static ulong Round(ulong acc, ulong input) => BitOperations.RotateLeft(acc + input * P2, 31) * P1;
}
