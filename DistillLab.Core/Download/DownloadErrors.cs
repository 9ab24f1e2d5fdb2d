namespace DistillLab.Core.Download;

/// <summary>A download that cannot succeed as configured (not found, wrong size announced, too many failures).</summary>
public sealed class DownloadFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The archive's size or SHA-256 is not the expected one; nothing from it is extracted.</summary>
public sealed class ArchiveVerificationException(string message, string path, long actualBytes, string? actualSha256)
    : Exception(message)
{
    public string Path { get; } = path;
    public long ActualBytes { get; } = actualBytes;
    /// <summary>Null when the size was already wrong, so no hash was computed.</summary>
    public string? ActualSha256 { get; } = actualSha256;
}
