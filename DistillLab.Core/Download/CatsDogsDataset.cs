namespace DistillLab.Core.Download;

/// <summary>What <see cref="CatsDogsDataset.EnsureAsync"/> found or did.</summary>
/// <param name="WasPresent">PetImages/Cat and PetImages/Dog were already there and used as is; nothing was downloaded.</param>
/// <param name="Download">Null when the folder was already present.</param>
/// <param name="Extraction">Null when the folder was already present.</param>
public sealed record EnsureResult(string PetImagesFolder, bool WasPresent, DownloadResult? Download, ExtractionResult? Extraction);

/// <summary>The one entry point for the dashboard and the command line: makes sure &lt;folder&gt;/PetImages/{Cat,Dog} exist,
/// downloading, verifying and extracting Microsoft's Cats and Dogs release when they do not.</summary>
/// <remarks>Register as a typed HttpClient (AddHttpClient&lt;CatsDogsDataset&gt;) with DownloadSettings bound from "Download".</remarks>
public sealed class CatsDogsDataset
{
    private readonly HttpClient http;
    private readonly ArchiveDownloader downloader;
    private readonly PetImagesExtractor extractor;

    public CatsDogsDataset(HttpClient http, DownloadSettings settings, IDiskSpace? diskSpace = null, RetryPolicy? retry = null)
    {
        this.http = http;
        Settings = settings;
        downloader = new ArchiveDownloader(diskSpace, retry);
        extractor = new PetImagesExtractor(diskSpace);
    }

    public DownloadSettings Settings { get; }

    /// <summary>For a button or a hint, e.g. "787 MB" for the release.</summary>
    public string DownloadSizeText => $"{Settings.ExpectedBytes / (1024.0 * 1024.0):N0} MB";

    /// <summary>&lt;folder&gt;/PetImages, where the Cat and Dog folders are.</summary>
    public static string PetImagesPath(string folder) => Path.Combine(folder, PetImagesExtractor.FolderName);

    /// <summary>True when &lt;folder&gt;/PetImages/Cat and &lt;folder&gt;/PetImages/Dog both exist (extraction creates them last, atomically).</summary>
    public static bool IsPresent(string folder) =>
        Directory.Exists(Path.Combine(PetImagesPath(folder), "Cat")) &&
        Directory.Exists(Path.Combine(PetImagesPath(folder), "Dog"));

    /// <summary>Uses &lt;folder&gt;/PetImages as is when present; otherwise downloads (resuming a .part), verifies and extracts.</summary>
    /// <exception cref="InvalidOperationException">&lt;folder&gt;/PetImages exists without Cat or Dog, or another
    /// download or extraction is using the folder.</exception>
    /// <param name="keepArchive">Keep the verified zip after extracting (default: delete it, it is ~800 MB).</param>
    public async Task<EnsureResult> EnsureAsync(string folder, IProgress<DownloadProgress>? progress = null,
        bool keepArchive = false, CancellationToken ct = default)
    {
        if (IsPresent(folder)) return new EnsureResult(PetImagesPath(folder), true, null, null);
        // Say so before an 800 MB download, not after it: extraction never merges into an existing folder.
        if (Directory.Exists(PetImagesPath(folder)) || File.Exists(PetImagesPath(folder)))
            throw new InvalidOperationException(
                $"'{PetImagesPath(folder)}' exists but lacks Cat or Dog; remove it (or choose another folder) to download the data set.");
        using var folderLock = FolderLock.Acquire(folder);
        // Checked again under the lock: a run that held it may have just finished.
        if (IsPresent(folder)) return new EnsureResult(PetImagesPath(folder), true, null, null);
        var download = await downloader.DownloadLockedAsync(http, Settings, folder, progress, ct);
        var extraction = await Task.Run(() => extractor.ExtractLocked(download.ArchivePath, folder, progress, ct), ct);
        if (!keepArchive) File.Delete(download.ArchivePath);
        return new EnsureResult(extraction.PetImagesFolder, false, download, extraction);
    }
}
