namespace DistillLab.Core.Data;

/// <summary>The folders a dashboard's data sources may read, with links resolved on both sides: a source folder, and
/// every file in it, must really lie inside one of them, wherever a symbolic link would take it.</summary>
internal sealed class DataRoots
{
    private readonly IReadOnlyList<string> roots;
    private readonly IReadOnlyList<string> realRoots;
    private readonly Dictionary<string, string> resolvedFolders = new();

    public DataRoots(IEnumerable<string> roots)
    {
        this.roots = roots.Select(r => Path.GetFullPath(r)).ToList();
        realRoots = this.roots.Select(RealPath.Resolve).ToList();
    }

    /// <summary>The roots as a person configured them, for messages.</summary>
    public string Describe() => string.Join(", ", roots.Select(r => $"'{r}'"));

    /// <summary>The real path of <paramref name="fullPath"/> when it lies inside a root, else null.</summary>
    public string? Contain(string fullPath)
    {
        string real;
        try { real = RealPath.Resolve(fullPath, resolvedFolders); }
        catch (IOException) { return null; } // a link cycle leads nowhere allowed
        return RealPath.IsInside(real, realRoots) ? real : null;
    }

    /// <summary>Refuses the source when any of its files is a link (or lies under a linked folder) that leads outside
    /// the roots. The message names the file as listed, never where the link points.</summary>
    public void CheckFiles(string sourceText, IEnumerable<(string Shown, string FullPath)> files)
    {
        foreach (var (shown, fullPath) in files)
            if (Contain(fullPath) is null)
                throw new DataSourceException(
                    $"The source '{sourceText}' has '{shown}', a link that leads outside the allowed data folders ({Describe()}). " +
                    "Copy the file into the data folder instead of linking to it.");
    }
}
