namespace DistillLab.Core.Data;

/// <summary>One file of a file-based source, as listed (before decoding).</summary>
/// <param name="RelativePath">Path from the source root with '/' separators; within a class the listing is sorted
/// by it (ordinal) so that every machine and file system sees the same order.</param>
/// <param name="Label">Class index, or -1 for a file that is skipped by name.</param>
/// <param name="SkipByName">A skip reason already known from the name alone, e.g. <see cref="SkipReasons.IgnoredName"/>.</param>
internal sealed record SourceFile(string RelativePath, string FullPath, int Label, long Length, long LastWriteTicksUtc, string? SkipByName = null)
{
    public static SourceFile From(string root, FileInfo file, int label, string? skipByName = null)
        => new(Path.GetRelativePath(root, file.FullName).Replace('\\', '/'), file.FullName, label,
               file.Length, file.LastWriteTimeUtc.Ticks, skipByName);
}

/// <summary>A listed file source: its class names, its files in the source's own order (see <see cref="Ordered"/>),
/// and how its files are filtered.</summary>
/// <param name="Filter">Names the decoding rule ("plain" or "tfds-jfif"); part of the cache key.</param>
internal sealed record SourceListing(string Root, IReadOnlyList<string> Classes, IReadOnlyList<SourceFile> Files, string Filter)
{
    /// <summary>The source's own order: files already refused by name first (by path), then the classes in turn -
    /// the first file of each class by label, then the second of each, and so on, each class in path order (ordinal);
    /// once a class runs out the others go on. A limit then takes every class, not the first one only.</summary>
    public static IReadOnlyList<SourceFile> Ordered(IEnumerable<SourceFile> files)
    {
        var byPath = files.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
        // A Thumbs.db or readme has no class, so it takes no turn: it would cost its folder's class an image.
        var ordered = byPath.Where(f => f.SkipByName is not null).ToList();
        var classes = byPath.Where(f => f.SkipByName is null).GroupBy(f => f.Label)
            .OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        int rounds = classes.Select(c => c.Count).DefaultIfEmpty().Max();
        for (int round = 0; round < rounds; round++)
            foreach (var inClass in classes)
                if (round < inClass.Count) ordered.Add(inClass[round]);
        return ordered;
    }
}
