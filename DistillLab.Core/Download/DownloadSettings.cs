using System.ComponentModel.DataAnnotations;

namespace DistillLab.Core.Download;

/// <summary>Where the Cats vs Dogs archive comes from and what it must be; bound from the "Download" section of appsettings.json.</summary>
/// <remarks>The defaults are Microsoft's Kaggle Cats and Dogs release, the archive TFDS's cats_vs_dogs builder reads.
/// A mirror only needs another Url; a different archive also needs its own size and SHA-256.</remarks>
public sealed record DownloadSettings
{
    public const string SectionName = "Download";

    public const string ReleaseUrl =
        "https://download.microsoft.com/download/3/E/1/3E1C3F21-ECDB-4869-8368-6DEBA77B919F/kagglecatsanddogs_5340.zip";
    public const long ReleaseBytes = 824_887_076;
    public const string ReleaseSha256 = "b7974bd00a84a99921f36ee4403f089853777b5ae8d151c76a86e64900334af9";

    [Required, Url]
    public string Url { get; init; } = ReleaseUrl;

    [Range(1, long.MaxValue)]
    public long ExpectedBytes { get; init; } = ReleaseBytes;

    [Required, RegularExpression("^[0-9a-fA-F]{64}$", ErrorMessage = "Sha256 must be 64 hexadecimal digits.")]
    public string Sha256 { get; init; } = ReleaseSha256;

    /// <summary>The archive's file name on disk: the last segment of the URL's path.</summary>
    public string ArchiveFileName
    {
        get
        {
            var name = Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? Path.GetFileName(uri.AbsolutePath) : "";
            // Never trust a URL to name a path: keep only a plain file name.
            return name.Length == 0 || name.IndexOfAny(['/', '\\', ':']) >= 0 || name is "." or ".."
                ? "archive.zip" : name;
        }
    }
}
