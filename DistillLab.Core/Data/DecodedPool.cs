namespace DistillLab.Core.Data;

/// <summary>The decoded prefix of a file source: one outcome per file looked at, in listing order,
/// and the usable images among them. This is what the decode cache stores.</summary>
/// <param name="Outcomes">Per file: <see cref="SkipReasons.Ok"/> or a skip reason code.</param>
/// <param name="Complete">True when every file of the source was looked at (no limit cut the work short).</param>
internal sealed record DecodedPool(byte[] Outcomes, bool Complete, ImageSet Images)
{
    /// <summary>Whether this pool holds enough to answer a request with this limit.</summary>
    public bool CanServe(int? limit) => Complete || limit is { } l && Images.Count >= l;

    /// <summary>The first <paramref name="limit"/> usable images, and the skips met before the last of them
    /// (all skips when the whole source was used), so a cached pool and a fresh one report the same.</summary>
    public (ImageSet Images, SortedDictionary<string, int> Skipped) Take(int? limit)
    {
        bool whole = limit is null || limit.Value > Images.Count;
        int wanted = whole ? Images.Count : limit!.Value;
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int kept = 0;
        foreach (byte outcome in Outcomes)
        {
            if (outcome == SkipReasons.Ok)
            {
                if (kept == wanted) break;
                kept++;
                continue;
            }
            if (!whole && kept == wanted) break;
            string reason = SkipReasons.ByCode[outcome]!;
            skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
        }
        var images = wanted == Images.Count ? Images : Images.Select(Enumerable.Range(0, wanted).ToList());
        return (images, skipped);
    }
}
