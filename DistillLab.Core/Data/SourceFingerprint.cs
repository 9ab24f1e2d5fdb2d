using System.Security.Cryptography;
using System.Text;

namespace DistillLab.Core.Data;

/// <summary>Identifies a listed source's files without reading them: relative path, length and last-write
/// time of every file, plus the class names and filter. Any change to the files gives a new fingerprint.</summary>
internal static class SourceFingerprint
{
    public static byte[] Of(SourceListing listing)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Add(listing.Filter);
        Add(string.Join("\u0001", listing.Classes));
        foreach (var f in listing.Files)
            Add($"{f.RelativePath}\u0001{f.Length}\u0001{f.LastWriteTicksUtc}\u0001{f.Label}\u0001{f.SkipByName}");
        return hash.GetHashAndReset();
    }

    /// <summary>The same kind of fingerprint for a fixed set of files (the idx source's four): name, length and
    /// last-write time of each.</summary>
    public static byte[] OfFiles(IEnumerable<string> paths)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in paths.Select(p => new FileInfo(p)).OrderBy(f => f.Name, StringComparer.Ordinal))
            hash.AppendData(Encoding.UTF8.GetBytes($"{file.Name}\u0001{file.Length}\u0001{file.LastWriteTimeUtc.Ticks}\n"));
        return hash.GetHashAndReset();
    }

    /// <summary>The form stored with a run's models (<see cref="Models.TrainingProvenance.Fingerprint"/>).</summary>
    public static string Hex(byte[] fingerprint) => Convert.ToHexStringLower(fingerprint);

    /// <summary>A short stable name for (source root, filter, image size), used as the cache file name.</summary>
    public static string CacheKey(SourceListing listing, int imageSize)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{listing.Filter}\n{listing.Root}\n{imageSize}"));
        return $"{listing.Filter}-{Convert.ToHexStringLower(digest, 0, 8)}-{imageSize}px";
    }
}
