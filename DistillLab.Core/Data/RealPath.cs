namespace DistillLab.Core.Data;

/// <summary>A path with every symbolic link in it resolved, the way realpath(3) does: GetFullPath only collapses
/// "..", so "data/outlink -> /etc" would pass a prefix check on the data roots while reading /etc.</summary>
internal static class RealPath
{
    // Linux gives up after 40 links (ELOOP); a cycle must end in an error, not a hang.
    private const int MaxLinks = 40;

    /// <summary>Resolves links in every component of <paramref name="path"/>; components that do not exist are kept as written.</summary>
    /// <exception cref="IOException">Too many links (a cycle).</exception>
    public static string Resolve(string path) => Resolve(path, new Dictionary<string, string>());

    /// <summary>As <see cref="Resolve(string)"/>, remembering resolved components in <paramref name="known"/> so a listing of
    /// thousands of files costs about one lstat per file.</summary>
    public static string Resolve(string path, Dictionary<string, string> known)
    {
        int links = 0;
        return Resolve(Path.GetFullPath(path), known, ref links);
    }

    // Component by component, like the kernel: ".." after a link goes up from where the link led, so a target such as
    // "inner/../x" (inner being a link) is not collapsed lexically into a path that only looks inside the roots.
    private static string Resolve(string absolute, Dictionary<string, string> known, ref int links)
    {
        string current = Path.GetPathRoot(absolute)!;
        foreach (string part in absolute[current.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { current = Path.GetDirectoryName(current) ?? current; continue; }
            string candidate = Path.Combine(current, part);
            if (known.TryGetValue(candidate, out var resolved)) { current = resolved; continue; }
            if (new FileInfo(candidate).LinkTarget is { } target)
            {
                if (++links > MaxLinks) throw new IOException($"Too many levels of symbolic links under '{current}'.");
                resolved = Resolve(Path.IsPathRooted(target) ? target : Path.Combine(current, target), known, ref links);
            }
            else resolved = candidate;
            known[candidate] = resolved;
            current = resolved;
        }
        return current;
    }

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    /// <summary>True when <paramref name="realPath"/> is one of <paramref name="realRoots"/> or inside one.</summary>
    public static bool IsInside(string realPath, IEnumerable<string> realRoots)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
            ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        string path = Path.TrimEndingDirectorySeparator(realPath);
        // Comparing against root + separator stops "/data-evil" from passing as inside "/data".
        return realRoots.Select(Path.TrimEndingDirectorySeparator).Any(root =>
            path.Equals(root, comparison) || path.StartsWith(root + Path.DirectorySeparatorChar, comparison));
    }
}
