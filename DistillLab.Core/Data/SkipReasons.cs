namespace DistillLab.Core.Data;

/// <summary>Why a file of a source was not used. These strings are what runs report.</summary>
public static class SkipReasons
{
    public const string Empty = "empty";
    public const string NotAnImage = "not-an-image";
    public const string UnsupportedFormat = "unsupported-format";
    public const string Truncated = "truncated";
    /// <summary>A JPEG or PNG that is complete but that the decoder rejects.</summary>
    public const string Corrupt = "corrupt";
    public const string TooLarge = "too-large";
    /// <summary>petimages only: the TFDS cats_vs_dogs filter (no "JFIF" in the first 512 bytes).</summary>
    public const string NoJfifHeader = "no-jfif-header";
    /// <summary>petimages only: a file not named &lt;digits&gt;.jpg (e.g. Thumbs.db), which TFDS never looks at.</summary>
    public const string IgnoredName = "ignored-name";
    /// <summary>The file vanished or could not be read between listing and decoding.</summary>
    public const string Unreadable = "unreadable";

    // The cache stores a reason as its index in this list: append only, and bump the cache version otherwise.
    internal static readonly string?[] ByCode =
        [null, Empty, NotAnImage, UnsupportedFormat, Truncated, Corrupt, TooLarge, NoJfifHeader, IgnoredName, Unreadable];

    internal const byte Ok = 0;

    internal static byte Code(string reason)
    {
        int i = Array.IndexOf(ByCode, reason);
        if (i <= 0) throw new ArgumentException($"Unknown skip reason '{reason}'.", nameof(reason));
        return (byte)i;
    }
}
