using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace DistillLab.Core.Download;

/// <summary>What a download did.</summary>
/// <param name="ArchivePath">The verified archive.</param>
/// <param name="AlreadyPresent">A verified archive was already there; nothing was requested.</param>
/// <param name="Resumed">At least one request continued a .part file with a Range request the server honoured.</param>
/// <param name="Restarts">Times the .part was thrown away because the server ignored or refused the Range request.</param>
/// <param name="Retries">Transient failures retried after a backoff.</param>
public sealed record DownloadResult(string ArchivePath, long Bytes, bool AlreadyPresent, bool Resumed, int Restarts, int Retries);

/// <summary>Downloads one archive to a .part file with resume, retries and a disk check, then verifies size and SHA-256.</summary>
public sealed class ArchiveDownloader
{
    /// <summary>Extracting needs about the archive's size again; 10 % more covers file-system overhead.</summary>
    public const double ExtractionSpaceFactor = 1.1;
    private const int BufferSize = 128 * 1024;

    private readonly IDiskSpace disk;
    private readonly RetryPolicy retry;

    public ArchiveDownloader(IDiskSpace? diskSpace = null, RetryPolicy? retry = null)
    {
        disk = diskSpace ?? DriveDiskSpace.Instance;
        this.retry = retry ?? RetryPolicy.Default;
    }

    public static string PartPath(string archivePath) => archivePath + ".part";

    /// <summary>Gets <paramref name="settings"/>' archive into <paramref name="targetFolder"/>, resuming a .part left by an
    /// interrupted or cancelled call, and returns only once the file has the expected size and SHA-256.</summary>
    /// <exception cref="InsufficientDiskSpaceException">Before any request, when the download plus its extraction would not fit.</exception>
    /// <exception cref="ArchiveVerificationException">The downloaded bytes are not the expected archive (the .part is deleted).</exception>
    /// <exception cref="DownloadFailedException">A permanent HTTP error, a server offering another size, or too many failed tries.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the .part stays for the next call to resume.</exception>
    /// <exception cref="InvalidOperationException">Another download or extraction is using the folder.</exception>
    public async Task<DownloadResult> DownloadAsync(HttpClient http, DownloadSettings settings, string targetFolder,
        IProgress<DownloadProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(settings);
        using var folderLock = FolderLock.Acquire(targetFolder);
        return await DownloadLockedAsync(http, settings, targetFolder, progress, ct);
    }

    /// <summary><see cref="DownloadAsync"/> for a caller that already holds the folder's lock.</summary>
    internal async Task<DownloadResult> DownloadLockedAsync(HttpClient http, DownloadSettings settings, string targetFolder,
        IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        Directory.CreateDirectory(targetFolder);
        string archive = Path.Combine(targetFolder, settings.ArchiveFileName);
        string part = PartPath(archive);
        long expected = settings.ExpectedBytes;

        if (File.Exists(archive))
        {
            var (ok, size, hash) = await VerifyAsync(archive, settings, progress, ct);
            if (ok) return new DownloadResult(archive, size, true, false, 0, 0);
            // Only this class names a file like that after verifying it, so someone else put it there: leave it to them.
            throw new ArchiveVerificationException(
                $"'{archive}' is not the expected archive ({Describe(size, hash, settings)}). Delete it to download again.",
                archive, size, hash);
        }

        long have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (have > expected) have = 0;
        long needed = (expected - have) + (long)(expected * ExtractionSpaceFactor);
        InsufficientDiskSpaceException.ThrowIfShort(disk, targetFolder, needed,
            $"the download ({InsufficientDiskSpaceException.Mb(expected - have)} left) plus its extraction");

        var state = new AttemptState();
        int failuresInARow = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            have = File.Exists(part) ? new FileInfo(part).Length : 0;
            if (have > expected) { File.Delete(part); have = 0; }
            if (have == expected) break;
            try
            {
                await DownloadOnceAsync(http, settings, part, have, state, progress, ct);
            }
            catch (Exception e) when (IsTransient(e, ct))
            {
                long now = File.Exists(part) ? new FileInfo(part).Length : 0;
                failuresInARow = now > have ? 1 : failuresInARow + 1;
                if (failuresInARow >= retry.MaxAttempts)
                    throw new DownloadFailedException(
                        $"Download of {settings.Url} failed {failuresInARow} times in a row without progress; " +
                        $"{now:N0} of {expected:N0} bytes are kept in '{part}' for the next try. Last error: {e.Message}", e);
                state.Retries++;
                await Task.Delay(retry.DelayBefore(failuresInARow), ct);
            }
        }

        var (partOk, partSize, partHash) = await VerifyAsync(part, settings, progress, ct);
        if (!partOk)
        {
            // A complete but wrong file cannot be repaired by resuming; keeping 800 MB of it helps nobody.
            File.Delete(part);
            throw new ArchiveVerificationException(
                $"The downloaded file is not the expected archive ({Describe(partSize, partHash, settings)}); it was deleted and nothing was extracted. " +
                "Check the Download settings (Url, ExpectedBytes, Sha256).", part, partSize, partHash);
        }
        File.Move(part, archive, overwrite: true);
        return new DownloadResult(archive, expected, false, state.Resumed, state.Restarts, state.Retries);
    }

    private sealed class AttemptState
    {
        public bool Resumed;
        public int Restarts;
        public int Retries;
    }

    private async Task DownloadOnceAsync(HttpClient http, DownloadSettings settings, string part, long have,
        AttemptState state, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        long expected = settings.ExpectedBytes;
        using var request = new HttpRequestMessage(HttpMethod.Get, settings.Url);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);

        // One token per try: it fires when the caller cancels or when no byte came for StallTimeout.
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stall.CancelAfter(retry.StallTimeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token);
            var status = response.StatusCode;
            if (status == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
            {
                File.Delete(part); // the server's file is shorter than our .part: it is not ours to continue
                state.Restarts++;
                return;
            }
            if ((int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
                throw new HttpRequestException($"The server answered {(int)status} {response.ReasonPhrase}.", null, status);
            if (status != HttpStatusCode.OK && status != HttpStatusCode.PartialContent)
                throw new DownloadFailedException($"{settings.Url} answered {(int)status} {response.ReasonPhrase}.");

            bool append = false;
            if (status == HttpStatusCode.PartialContent)
            {
                long from = response.Content.Headers.ContentRange?.From ?? 0;
                if (from != have)
                {
                    if (have == 0)
                        throw new DownloadFailedException($"{settings.Url} answered a plain request with bytes from {from:N0}.");
                    File.Delete(part); // not the range we asked for: start over from byte 0
                    state.Restarts++;
                    return;
                }
                append = have > 0;
                state.Resumed |= append;
            }
            else if (have > 0)
            {
                state.Restarts++; // 200 to a Range request: the body is the whole file, so the .part is truncated below
                have = 0;
            }

            long? length = response.Content.Headers.ContentLength;
            if (length is long n && have + n != expected)
                throw new DownloadFailedException(
                    $"{settings.Url} offers {have + n:N0} bytes but {expected:N0} are expected; check the Download settings.");

            await using var body = await response.Content.ReadAsStreamAsync(stall.Token);
            await using var file = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write,
                FileShare.Read, bufferSize: 0, FileOptions.Asynchronous);
            var meter = new ProgressMeter(progress, DownloadStage.Downloading, expected, have);
            meter.Update(have, force: true);
            var buffer = new byte[BufferSize];
            while (true)
            {
                stall.CancelAfter(retry.StallTimeout);
                int read = await body.ReadAsync(buffer, stall.Token);
                if (read == 0) break;
                if (have + read > expected)
                    throw new DownloadFailedException($"{settings.Url} sent more than the expected {expected:N0} bytes.");
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
                have += read;
                meter.Update(have);
            }
            meter.Update(have, force: true);
            if (have < expected)
                throw new IOException($"The connection closed after {have:N0} of {expected:N0} bytes.");
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            // Our stall timer, or HttpClient.Timeout (which covers the request up to the response headers).
            throw new TimeoutException(stall.IsCancellationRequested
                ? $"No data from {settings.Url} for {retry.StallTimeout.TotalSeconds:N0} s."
                : $"The request to {settings.Url} timed out: {e.Message}", e);
        }
    }

    private static bool IsTransient(Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException => false, // the caller's cancellation; stalls arrive as TimeoutException
        DownloadFailedException => false,
        HttpRequestException or IOException or TimeoutException => !ct.IsCancellationRequested,
        _ => false,
    };

    /// <summary>Checks the size first (cheap), then the SHA-256 (lower-case hex; null when the size was already wrong).</summary>
    private static async Task<(bool Ok, long Size, string? Sha256)> VerifyAsync(string path, DownloadSettings settings,
        IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        long size = new FileInfo(path).Length;
        if (size != settings.ExpectedBytes) return (false, size, null);
        string hash = await Sha256Async(path, progress, ct);
        return (string.Equals(hash, settings.Sha256, StringComparison.OrdinalIgnoreCase), size, hash);
    }

    /// <summary>The SHA-256 of a file as lower-case hex.</summary>
    public static async Task<string> Sha256Async(string path, IProgress<DownloadProgress>? progress = null, CancellationToken ct = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var meter = new ProgressMeter(progress, DownloadStage.Verifying, stream.Length, 0);
        var buffer = new byte[1024 * 1024];
        long done = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            done += read;
            meter.Update(done);
        }
        meter.Update(done, force: true);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string Describe(long size, string? hash, DownloadSettings settings) =>
        size != settings.ExpectedBytes
            ? $"{size:N0} bytes instead of {settings.ExpectedBytes:N0}"
            : $"SHA-256 {hash} instead of {settings.Sha256}";
}
