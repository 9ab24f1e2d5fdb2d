using System.Diagnostics.CodeAnalysis;

namespace DistillLab.Core.Data;

/// <summary>A parsed, validated data source: its kind and, for file sources, the full path it reads.</summary>
/// <param name="Text">The source as the user wrote it.</param>
/// <param name="Path">Full path of the folder to read; null for synthetic and for petimages without a folder.</param>
public sealed record DataSourceSpec(DataSourceKind Kind, string? Path, string Text)
{
    public const string Allowed = "synthetic, folder:<path>, idx:<dir>, petimages or petimages:<folder>";

    /// <summary>True for the built-in synthetic set, written any way TryParse accepts it ("synthetic", any case, spaces
    /// around): the one source whose pictures, split and labels are defined by our code.</summary>
    public static bool IsSynthetic(string text) => (text ?? "").Trim().Equals("synthetic", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses the source text without a data-roots check (command line use).</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out DataSourceSpec? spec, [NotNullWhen(false)] out string? error)
        => TryParse(text, null, out spec, out error);

    /// <summary>Parses the source text; when <paramref name="environment"/> has DataRoots, a path outside all of them is refused.</summary>
    public static bool TryParse(string text, LabEnvironment? environment,
        [NotNullWhen(true)] out DataSourceSpec? spec, [NotNullWhen(false)] out string? error)
    {
        spec = null;
        error = null;
        string trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
        {
            error = $"The data source is empty. Allowed: {Allowed}.";
            return false;
        }

        int colon = trimmed.IndexOf(':');
        string kindText = colon < 0 ? trimmed : trimmed[..colon];
        string? pathText = colon < 0 ? null : trimmed[(colon + 1)..].Trim();

        DataSourceKind kind;
        switch (kindText.ToLowerInvariant())
        {
            case "synthetic": kind = DataSourceKind.Synthetic; break;
            case "folder": kind = DataSourceKind.Folder; break;
            case "idx": kind = DataSourceKind.Idx; break;
            case "petimages": kind = DataSourceKind.PetImages; break;
            default:
                error = $"Unknown data source kind '{Quote.Short(kindText)}' in '{Quote.Short(trimmed)}'. Allowed: {Allowed}.";
                return false;
        }

        if (kind == DataSourceKind.Synthetic && pathText is not null)
        {
            error = $"The synthetic source takes no path; got '{Quote.Short(trimmed)}'. Allowed: {Allowed}.";
            return false;
        }
        bool needsPath = kind is DataSourceKind.Folder or DataSourceKind.Idx;
        if ((needsPath && string.IsNullOrEmpty(pathText)) || (kind == DataSourceKind.PetImages && pathText is ""))
        {
            error = $"The {kindText.ToLowerInvariant()} source needs a path after the colon, e.g. {kindText.ToLowerInvariant()}:/data/images. Allowed: {Allowed}.";
            return false;
        }

        string? fullPath = null;
        if (!string.IsNullOrEmpty(pathText))
        {
            try
            {
                fullPath = System.IO.Path.GetFullPath(pathText);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                error = $"The path '{Quote.Short(pathText)}' is not a valid path: {e.Message}";
                return false;
            }
            if (environment?.DataRoots is { } roots)
            {
                // Links are resolved before the check, and the source then reads the resolved path it was checked at.
                var allowed = new DataRoots(roots);
                if (allowed.Contain(fullPath) is not { } real)
                {
                    error = $"The path '{Quote.Short(pathText)}' is outside the allowed data folders (symbolic links are followed). Allowed: a folder inside {allowed.Describe()}.";
                    return false;
                }
                fullPath = real;
            }
        }

        spec = new DataSourceSpec(kind, fullPath, trimmed);
        return true;
    }

    /// <summary>Like <see cref="TryParse(string, LabEnvironment?, out DataSourceSpec?, out string?)"/> but throws <see cref="DataSourceException"/>.</summary>
    public static DataSourceSpec Parse(string text, LabEnvironment? environment)
        => TryParse(text, environment, out var spec, out var error) ? spec : throw new DataSourceException(error);
}
