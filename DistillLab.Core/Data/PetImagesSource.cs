using System.Text.RegularExpressions;

namespace DistillLab.Core.Data;

/// <summary>Lists Microsoft's Kaggle Cats and Dogs release the way TFDS cats_vs_dogs 4.0.1 reads it:
/// only PetImages/Cat/&lt;digits&gt;.jpg and PetImages/Dog/&lt;digits&gt;.jpg, labels cat = 0 and dog = 1.</summary>
internal static partial class PetImagesSource
{
    public const string Filter = "tfds-jfif";
    public static readonly IReadOnlyList<string> Classes = ["cat", "dog"];
    private static readonly string[] classFolders = ["Cat", "Dog"];

    [GeneratedRegex(@"^\d+\.jpg$")]
    private static partial Regex ImageName();

    /// <summary>The PetImages folder inside <paramref name="folder"/>, or the folder itself when it holds Cat/ and Dog/ directly.</summary>
    public static string ResolveRoot(string folder)
    {
        string nested = Path.Combine(folder, "PetImages");
        if (HasClassFolders(nested)) return nested;
        if (HasClassFolders(folder)) return folder;
        throw new DataSourceException($"The folder '{folder}' does not hold PetImages/Cat and PetImages/Dog (nor Cat and Dog directly). Extract Microsoft's Kaggle Cats and Dogs release (kagglecatsanddogs_5340.zip) there, or point petimages:<folder> at the folder that holds PetImages.");
    }

    public static SourceListing List(string folder)
    {
        string root = ResolveRoot(folder);
        var files = new List<SourceFile>();
        for (int label = 0; label < classFolders.Length; label++)
        {
            foreach (var file in new DirectoryInfo(Path.Combine(root, classFolders[label])).EnumerateFiles())
            {
                // Thumbs.db and friends are listed, so the report can say they were passed over.
                string? skip = ImageName().IsMatch(file.Name) ? null : SkipReasons.IgnoredName;
                files.Add(SourceFile.From(root, file, skip is null ? label : -1, skip));
            }
        }
        return new SourceListing(root, Classes, SourceListing.Ordered(files), Filter);
    }

    /// <summary>The TFDS rule: keep a file only if "JFIF" occurs within its first 512 bytes
    /// (TFDS peeks at each zip entry, and Python's zip reader hands back up to 512 bytes there).</summary>
    public static bool PassesJfifFilter(ReadOnlySpan<byte> file)
        => file[..Math.Min(512, file.Length)].IndexOf("JFIF"u8) >= 0;

    private static bool HasClassFolders(string folder)
        => classFolders.All(c => Directory.Exists(Path.Combine(folder, c)));
}
