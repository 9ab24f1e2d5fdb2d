namespace DistillLab.Core.Data;

/// <summary>One file of a file-based source, as listed (before decoding).</summary>
/// <param name="RelativePath">Path from the source root with '/' separators; the listing is sorted by it (ordinal)
/// so that every machine and file system sees the same order.</param>
/// <param name="Label">Class index, or -1 for a file that is skipped by name.</param>
/// <param name="SkipByName">A skip reason already known from the name alone, e.g. <see cref="SkipReasons.IgnoredName"/>.</param>
internal sealed record SourceFile(string RelativePath, string FullPath, int Label, long Length, long LastWriteTicksUtc, string? SkipByName = null)
{
    public static SourceFile From(string root, FileInfo file, int label, string? skipByName = null)
        => new(Path.GetRelativePath(root, file.FullName).Replace('\\', '/'), file.FullName, label,
               file.Length, file.LastWriteTimeUtc.Ticks, skipByName);
}

/// <summary>A listed file source: its class names, its files in canonical order, and how its files are filtered.</summary>
/// <param name="Filter">Names the decoding rule ("plain" or "tfds-jfif"); part of the cache key.</param>
internal sealed record SourceListing(string Root, IReadOnlyList<string> Classes, IReadOnlyList<SourceFile> Files, string Filter)
{
    public static IReadOnlyList<SourceFile> Sorted(IEnumerable<SourceFile> files)
        => files.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
}
