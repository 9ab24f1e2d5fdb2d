namespace DistillLab.Core.Data;

/// <summary>How a result names what it was measured on, in the CLI summary and on the dashboard.</summary>
public static class DataSourceText
{
    /// <summary>The built-in set, marked so that nobody reads its accuracy as a result on photos.</summary>
    public const string Synthetic = "synthetic (drawn pictures, not photos)";

    /// <summary>The source as written, the built-in set marked as <see cref="Synthetic"/>.</summary>
    public static string Describe(string source) =>
        DataSourceSpec.IsSynthetic(source) ? Synthetic : source.Trim();

    /// <summary>The source and the image size, e.g. "folder:/data/pets, 64 px".</summary>
    public static string Describe(string source, int? imageSize) =>
        Describe(source) + (imageSize is { } size ? $", {size} px" : "");
}
