using DistillLab.Core.Download;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Download;

public sealed class ArchiveDownloaderTests : IAsyncLifetime
{
    private static readonly PetImagesZip Zip = PetImagesZipFixture.Shared;
    private static readonly RetryPolicy FastRetry =
        new(MaxAttempts: 4, InitialDelay: TimeSpan.FromMilliseconds(1), MaxDelay: TimeSpan.FromMilliseconds(10), StallTimeout: TimeSpan.FromSeconds(5));

    private readonly TempFolder temp = new();
    private readonly HttpClient http = new();
    private RangeFileServer server = null!;

    public async Task InitializeAsync() => server = await RangeFileServer.StartAsync(Zip.Bytes);

    public async Task DisposeAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
        temp.Dispose();
    }

    private DownloadSettings Settings => new() { Url = server.Url, ExpectedBytes = Zip.Bytes.Length, Sha256 = Zip.Sha256 };
    private string ArchivePath => Path.Combine(temp.Path, "kagglecatsanddogs_5340.zip");
    private static ArchiveDownloader Downloader(RetryPolicy? retry = null, IDiskSpace? disk = null) =>
        new(disk ?? FixedDiskSpace.Plenty, retry ?? FastRetry);

    [Fact]
    public async Task DownloadsVerifiesAndRenamesThePartFile()
    {
        var result = await Downloader().DownloadAsync(http, Settings, temp.Path);

        Assert.Equal(ArchivePath, result.ArchivePath);
        Assert.Equal(Zip.Bytes, await File.ReadAllBytesAsync(ArchivePath));
        Assert.False(File.Exists(ArchiveDownloader.PartPath(ArchivePath)));
        Assert.Equal((false, false, 0, 0), (result.AlreadyPresent, result.Resumed, result.Restarts, result.Retries));
        Assert.Equal([""], server.RangeHeaders);
    }

    [Fact]
    public async Task InterruptedDownloadResumesWithARangeRequestAndVerifies()
    {
        long cut = Zip.Bytes.Length * 2 / 5;
        server.DropAt(cut);
        server.ClientFile = ArchiveDownloader.PartPath(ArchivePath);

        var result = await Downloader().DownloadAsync(http, Settings, temp.Path);

        Assert.Equal(["", $"bytes={cut}-"], server.RangeHeaders);
        Assert.True(result.Resumed);
        Assert.Equal((1, 0), (result.Retries, result.Restarts));
        Assert.Equal(Zip.Sha256, await ArchiveDownloader.Sha256Async(ArchivePath));
    }

    [Fact]
    public async Task ServerIgnoringRangeRestartsCleanlyFromByteZero()
    {
        long cut = Zip.Bytes.Length / 2;
        server.DropAt(cut);
        server.ClientFile = ArchiveDownloader.PartPath(ArchivePath);
        server.IgnoreRange = true;

        var result = await Downloader().DownloadAsync(http, Settings, temp.Path);

        Assert.Equal(["", $"bytes={cut}-"], server.RangeHeaders);
        Assert.False(result.Resumed);
        Assert.Equal(1, result.Restarts);
        Assert.Equal(Zip.Bytes, await File.ReadAllBytesAsync(ArchivePath));
    }

    [Theory]
    [InlineData(false, true)]  // 416 Range Not Satisfiable
    [InlineData(true, false)]  // 206 starting at another byte than asked
    public async Task RefusedOrMisplacedRangeStartsOverFromByteZero(bool misplace, bool refuse)
    {
        server.DropAt(Zip.Bytes.Length / 3);
        server.ClientFile = ArchiveDownloader.PartPath(ArchivePath);
        server.MisplaceRange = misplace;
        server.RefuseRange = refuse;

        var result = await Downloader().DownloadAsync(http, Settings, temp.Path);

        Assert.Equal(["", $"bytes={Zip.Bytes.Length / 3}-", ""], server.RangeHeaders);
        Assert.Equal((1, false), (result.Restarts, result.Resumed));
        Assert.Equal(Zip.Bytes, await File.ReadAllBytesAsync(ArchivePath));
    }

    [Fact]
    public async Task CancelThenResumeContinuesFromThePartFile()
    {
        long pauseAt = Zip.Bytes.Length / 3;
        server.PauseAfter(pauseAt);
        string part = ArchiveDownloader.PartPath(ArchivePath);
        using var cts = new CancellationTokenSource();

        var first = Downloader().DownloadAsync(http, Settings, temp.Path, null, cts.Token);
        await server.Paused.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await WaitUntil(() => File.Exists(part) && new FileInfo(part).Length == pauseAt);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal(pauseAt, new FileInfo(part).Length);

        var result = await Downloader().DownloadAsync(http, Settings, temp.Path);

        Assert.Equal(["", $"bytes={pauseAt}-"], server.RangeHeaders);
        Assert.True(result.Resumed);
        Assert.Equal(Zip.Bytes, await File.ReadAllBytesAsync(ArchivePath));
    }

    [Fact]
    public async Task StalledConnectionTimesOutAndResumes()
    {
        long pauseAt = Zip.Bytes.Length / 4;
        server.PauseAfter(pauseAt);
        var retry = FastRetry with { StallTimeout = TimeSpan.FromSeconds(1) };

        var result = await Downloader(retry).DownloadAsync(http, Settings, temp.Path);

        Assert.Equal(["", $"bytes={pauseAt}-"], server.RangeHeaders);
        // One retry for the stall; on a very busy machine the stall timer may also fire on the final (end of body) read
        // of the resumed request, which then finds the file complete and makes no further request.
        Assert.InRange(result.Retries, 1, 2);
        Assert.Equal(Zip.Sha256, await ArchiveDownloader.Sha256Async(ArchivePath));
    }

    [Fact]
    public async Task WrongHashIsRejectedAndThePartIsDeleted()
    {
        var settings = Settings with { Sha256 = new string('0', 64) };

        var error = await Assert.ThrowsAsync<ArchiveVerificationException>(
            () => Downloader().DownloadAsync(http, settings, temp.Path));

        Assert.Equal(Zip.Sha256, error.ActualSha256);
        Assert.Contains("not the expected archive", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task ServerOfferingAnotherSizeFailsBeforeTheBody()
    {
        var settings = Settings with { ExpectedBytes = Zip.Bytes.Length + 1 };

        var error = await Assert.ThrowsAsync<DownloadFailedException>(
            () => Downloader().DownloadAsync(http, settings, temp.Path));

        Assert.Contains($"offers {Zip.Bytes.Length:N0} bytes", error.Message);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task ShortDiskIsRefusedBeforeAnyRequest()
    {
        long needed = Zip.Bytes.Length + (long)(Zip.Bytes.Length * ArchiveDownloader.ExtractionSpaceFactor);
        var disk = new FixedDiskSpace(needed - 1);

        var error = await Assert.ThrowsAsync<InsufficientDiskSpaceException>(
            () => Downloader(disk: disk).DownloadAsync(http, Settings, temp.Path));

        Assert.Equal(needed, error.NeededBytes);
        Assert.StartsWith("Not enough free disk space", error.Message);
        Assert.Equal(0, server.RequestCount);
        await Downloader(disk: new FixedDiskSpace(needed)).DownloadAsync(http, Settings, temp.Path);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task TransientServerErrorsAreRetriedWithBackoff(int status)
    {
        server.FailureStatus = status;
        server.FailNext(2);

        var result = await Downloader().DownloadAsync(http, Settings, temp.Path);

        Assert.Equal(2, result.Retries);
        Assert.Equal(3, server.RequestCount);
        Assert.Equal(Zip.Bytes, await File.ReadAllBytesAsync(ArchivePath));
    }

    [Fact]
    public async Task PersistentServerErrorsGiveUpAfterMaxAttempts()
    {
        server.FailNext(int.MaxValue);

        var error = await Assert.ThrowsAsync<DownloadFailedException>(
            () => Downloader().DownloadAsync(http, Settings, temp.Path));

        Assert.Equal(FastRetry.MaxAttempts, server.RequestCount);
        Assert.Contains("503", error.Message);
    }

    [Fact]
    public async Task NotFoundFailsAtOnceWithoutRetrying()
    {
        var settings = Settings with { Url = new Uri(server.BaseAddress, "/missing.zip").ToString() };

        var error = await Assert.ThrowsAsync<DownloadFailedException>(
            () => Downloader().DownloadAsync(http, settings, temp.Path));

        Assert.Contains("404", error.Message);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task CompleteVerifiedArchiveIsNotDownloadedAgain()
    {
        await Downloader().DownloadAsync(http, Settings, temp.Path);

        var again = await Downloader().DownloadAsync(http, Settings, temp.Path);

        Assert.True(again.AlreadyPresent);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task ForeignFileWithTheArchiveNameIsReportedAndLeftAlone()
    {
        await File.WriteAllTextAsync(ArchivePath, "not the archive");

        var error = await Assert.ThrowsAsync<ArchiveVerificationException>(
            () => Downloader().DownloadAsync(http, Settings, temp.Path));

        Assert.Contains("Delete it to download again", error.Message);
        Assert.True(File.Exists(ArchivePath));
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task ProgressEndsAtTheTotalWithAtMostFiveReportsPerSecond()
    {
        var log = new ProgressLog();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await Downloader().DownloadAsync(http, Settings, temp.Path, log);

        var downloading = log.Reports.Where(r => r.Stage == DownloadStage.Downloading).ToList();
        Assert.Equal(Zip.Bytes.Length, downloading[^1].BytesDone);
        Assert.Equal(Zip.Bytes.Length, downloading[^1].TotalBytes);
        Assert.Equal(1.0, downloading[^1].Fraction);
        // A first report at the start and a last one at the end, and in between one per 200 ms at most.
        Assert.InRange(downloading.Count, 2, 2 + (int)(watch.Elapsed.TotalSeconds * 5) + 1);
        Assert.Contains(log.Reports, r => r.Stage == DownloadStage.Verifying && r.BytesDone == Zip.Bytes.Length);
    }

    [Fact]
    public void ProgressMeterReportsAtMostFiveTimesASecondAndAlwaysTheLast()
    {
        var log = new ProgressLog();
        var meter = new ProgressMeter(log, DownloadStage.Downloading, total: 1_000_000, startBytes: 100);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        long done = 100;
        while (watch.Elapsed < TimeSpan.FromMilliseconds(700)) meter.Update(done = Math.Min(done + 1, 999_999));
        meter.Update(1_000_000, force: true);

        Assert.InRange(log.Reports.Count, 2, 1 + 4 + 1); // the first, one per 200 ms, the forced last
        Assert.Equal(1_000_000, log.Reports[^1].BytesDone);
        Assert.True(log.Reports[^1].BytesPerSecond > 0);
        Assert.Equal(TimeSpan.Zero, log.Reports[^1].EstimatedRemaining);
    }

    [Fact]
    public void RetryDelaysDoubleUpToTheCap()
    {
        var policy = new RetryPolicy(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));

        Assert.Equal(new[] { 1.0, 2, 4, 5, 5 }, Enumerable.Range(1, 5).Select(i => policy.DelayBefore(i).TotalSeconds));
        Assert.Equal(new[] { 1.0, 2, 4, 8, 16, 30 }, Enumerable.Range(1, 6).Select(i => RetryPolicy.Default.DelayBefore(i).TotalSeconds));
        Assert.Equal((6, 60.0), (RetryPolicy.Default.MaxAttempts, RetryPolicy.Default.StallTimeout.TotalSeconds));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Condition not met within 5 s.");
            await Task.Delay(10);
        }
    }
}
