using System.IO.Compression;
using System.Text.RegularExpressions;

namespace DistillLab.Core.Download;

/// <summary>How many archive entries were extracted, and why the others were not.</summary>
/// <param name="PetImagesFolder">The extracted folder, &lt;target&gt;/PetImages.</param>
/// <param name="Ignored">Entries left out, by reason (see <see cref="IgnoreReason"/>); reasons with no entry are absent.</param>
public sealed record ExtractionResult(string PetImagesFolder, int Cats, int Dogs, IReadOnlyDictionary<string, int> Ignored)
{
    public int Extracted => Cats + Dogs;
    public int IgnoredTotal => Ignored.Values.Sum();
}

/// <summary>Why an archive entry was not extracted.</summary>
public static class IgnoreReason
{
    public const string Directory = "directory";
    /// <summary>An absolute name, a drive letter, a ".." segment or a control character: never followed.</summary>
    public const string UnsafePath = "unsafe path";
    /// <summary>Named like an image (&lt;digits&gt;.jpg) but not in PetImages/Cat or PetImages/Dog.</summary>
    public const string WrongFolder = "wrong folder";
    /// <summary>Any other name (readme, licence, Thumbs.db, cat.1.jpg, 1.JPG ...).</summary>
    public const string OtherName = "other name";
    /// <summary>A second entry for a file already taken (e.g. the same name with backslashes).</summary>
    public const string Duplicate = "duplicate";
    /// <summary>Declared larger than <see cref="PetImagesExtractor.MaxEntryBytes"/>; no photo of the release comes near it.</summary>
    public const string TooLarge = "too large";
}

/// <summary>Extracts the Cat and Dog images of a PetImages zip into &lt;target&gt;/PetImages, all or nothing.</summary>
/// <remarks>Entries are taken by TFDS cats_vs_dogs' name rule, ^PetImages[\\/](Cat|Dog)[\\/]\d+\.jpg$ (case-sensitive);
/// the content is not looked at here (the JFIF rule belongs to the data source). Output paths are built from the
/// class and the digits alone, so no entry name can place a file outside the target folder.</remarks>
public sealed partial class PetImagesExtractor
{
    public const string FolderName = "PetImages";
    public const string TempPrefix = ".PetImages.extracting-";
    public const long MaxEntryBytes = 64L * 1024 * 1024;

    private readonly IDiskSpace disk;

    public PetImagesExtractor(IDiskSpace? diskSpace = null) => disk = diskSpace ?? DriveDiskSpace.Instance;

    // TFDS uses \d, which in Python also matches non-ASCII digits; the release only has ASCII ones.
    [GeneratedRegex(@"^PetImages[\\/](Cat|Dog)[\\/]([0-9]+\.jpg)$", RegexOptions.CultureInvariant)]
    private static partial Regex TfdsName();

    [GeneratedRegex(@"^[0-9]+\.jpg$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageFileName();

    /// <summary>Whether an entry name is taken, and where: the class folder ("Cat" or "Dog") and the file name; else the reason.</summary>
    public static bool TryClassify(string entryName, out string classFolder, out string fileName, out string? reason)
    {
        classFolder = fileName = "";
        reason = null;
        if (entryName.Length == 0 || entryName[^1] is '/' or '\\') { reason = IgnoreReason.Directory; return false; }
        var segments = entryName.Split('/', '\\');
        if (entryName[0] is '/' or '\\' || entryName.Contains(':') || Path.IsPathRooted(entryName) ||
            segments.Any(s => s is ".." or ".") || entryName.Any(char.IsControl))
        {
            reason = IgnoreReason.UnsafePath;
            return false;
        }
        var match = TfdsName().Match(entryName);
        if (match.Success)
        {
            classFolder = match.Groups[1].Value;
            fileName = match.Groups[2].Value;
            return true;
        }
        reason = ImageFileName().IsMatch(segments[^1]) ? IgnoreReason.WrongFolder : IgnoreReason.OtherName;
        return false;
    }

    /// <summary>Extracts into a hidden folder beside &lt;target&gt;/PetImages and renames it into place only when every file is written.</summary>
    /// <exception cref="InvalidOperationException">&lt;target&gt;/PetImages already exists (it is never merged into or replaced).</exception>
    /// <exception cref="InsufficientDiskSpaceException">The taken entries would not fit; checked before writing.</exception>
    /// <exception cref="InvalidOperationException">Another download or extraction is using the folder.</exception>
    public Task<ExtractionResult> ExtractAsync(string archivePath, string targetFolder,
        IProgress<DownloadProgress>? progress = null, CancellationToken ct = default) =>
        Task.Run(() =>
        {
            using var folderLock = FolderLock.Acquire(targetFolder);
            return ExtractLocked(archivePath, targetFolder, progress, ct);
        }, ct);

    /// <summary><see cref="ExtractAsync"/> for a caller that already holds the folder's lock; runs synchronously.</summary>
    internal ExtractionResult ExtractLocked(string archivePath, string targetFolder, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        string target = Path.GetFullPath(targetFolder);
        string final = Path.Combine(target, FolderName);
        if (Directory.Exists(final) || File.Exists(final))
            throw new InvalidOperationException($"'{final}' already exists; remove it to extract the archive again.");
        Directory.CreateDirectory(target);
        RemoveLeftovers(target);

        using var zip = ZipFile.OpenRead(archivePath);
        var ignored = new Dictionary<string, int>();
        var taken = new List<(ZipArchiveEntry Entry, string Class, string File)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            if (TryClassify(entry.FullName, out var cls, out var file, out var reason))
            {
                if (!seen.Add(cls + "/" + file)) reason = IgnoreReason.Duplicate;
                else if (entry.Length > MaxEntryBytes) reason = IgnoreReason.TooLarge;
                else { taken.Add((entry, cls, file)); continue; }
            }
            ignored[reason!] = ignored.GetValueOrDefault(reason!) + 1;
        }

        long total = taken.Sum(t => t.Entry.Length);
        InsufficientDiskSpaceException.ThrowIfShort(disk, target, (long)(total * ArchiveDownloader.ExtractionSpaceFactor),
            $"extracting {taken.Count:N0} images");

        string temp = Path.Combine(target, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(temp, "Cat"));
            Directory.CreateDirectory(Path.Combine(temp, "Dog"));
            var meter = new ProgressMeter(progress, DownloadStage.Extracting, total, 0);
            long done = 0;
            foreach (var (entry, cls, file) in taken)
            {
                ct.ThrowIfCancellationRequested();
                entry.ExtractToFile(Path.Combine(temp, cls, file), overwrite: false);
                done += entry.Length;
                meter.Update(done);
            }
            meter.Update(done, force: true);
            // The rename is the commit point: before it there is no PetImages folder at all.
            Directory.Move(temp, final);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        int cats = taken.Count(t => t.Class == "Cat");
        return new ExtractionResult(final, cats, taken.Count - cats, ignored);
    }

    /// <summary>Deletes hidden extraction folders that a crashed run left behind.</summary>
    private static void RemoveLeftovers(string target)
    {
        foreach (var dir in Directory.EnumerateDirectories(target, TempPrefix + "*"))
            TryDelete(dir);
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
