namespace DistillLab.Web.Training;

/// <summary>The dashboard's rule for data source paths: only inside the configured data roots.</summary>
public static class DataRoots
{
    private static readonly string[] Kinds = ["synthetic", "folder", "idx", "petimages"];

    /// <summary>Null when <paramref name="source"/> may be used, else a message for the user.</summary>
    public static string? Check(string source, IReadOnlyList<string> roots)
    {
        var colon = source.IndexOf(':');
        var kind = colon < 0 ? source : source[..colon];
        if (!Kinds.Contains(kind))
            return $"has an unknown kind '{kind}'; use synthetic, folder:<path>, idx:<dir> or petimages[:<folder>].";
        if (colon < 0) return kind is "folder" or "idx" ? $"needs a path: {kind}:<path>." : null;
        var path = source[(colon + 1)..];
        if (path.Length == 0) return $"needs a path after '{kind}:'.";
        var full = Path.GetFullPath(path);
        bool inside = roots.Any(root =>
        {
            var withSlash = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
            return full == root || full.StartsWith(withSlash, StringComparison.Ordinal);
        });
        if (!inside) return $"path '{path}' is outside the allowed data roots ({string.Join(", ", roots)}); set Data:Roots in appsettings.json to allow it.";
        return Directory.Exists(full) ? null : $"folder '{path}' does not exist.";
    }
}
