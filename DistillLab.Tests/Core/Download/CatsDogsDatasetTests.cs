using System.ComponentModel.DataAnnotations;
using DistillLab.Core.Download;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Download;

public sealed class CatsDogsDatasetTests : IAsyncLifetime
{
    private static readonly PetImagesZip Zip = PetImagesZipFixture.Shared;
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

    private CatsDogsDataset Dataset(string? sha256 = null) => new(http,
        new DownloadSettings { Url = server.Url, ExpectedBytes = Zip.Bytes.Length, Sha256 = sha256 ?? Zip.Sha256 },
        FixedDiskSpace.Plenty,
        new RetryPolicy(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(5)));

    [Fact]
    public async Task EnsureDownloadsVerifiesExtractsAndDeletesTheArchive()
    {
        var log = new ProgressLog();

        var result = await Dataset().EnsureAsync(temp.Path, log);

        Assert.False(result.WasPresent);
        Assert.Equal(44, result.Extraction!.Extracted);
        Assert.True(CatsDogsDataset.IsPresent(temp.Path));
        Assert.Equal(["PetImages"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
        Assert.Equal([DownloadStage.Downloading, DownloadStage.Verifying, DownloadStage.Extracting],
            log.Reports.Select(r => r.Stage).Distinct());
    }

    [Fact]
    public async Task InterruptedExtractionKeepsTheVerifiedArchiveForTheNextCall()
    {
        using var cts = new CancellationTokenSource();
        var progress = new ProgressLog { OnReport = p => { if (p.Stage == DownloadStage.Extracting) cts.Cancel(); } };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Dataset().EnsureAsync(temp.Path, progress, ct: cts.Token));
        Assert.Equal(["kagglecatsanddogs_5340.zip"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));

        var result = await Dataset().EnsureAsync(temp.Path);

        Assert.True(result.Download!.AlreadyPresent);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(44, result.Extraction!.Extracted);
    }

    [Fact]
    public async Task EnsureUsesAPresentFolderWithoutAnyRequest()
    {
        Directory.CreateDirectory(Path.Combine(temp.Path, "PetImages", "Cat"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "PetImages", "Dog"));

        var result = await Dataset().EnsureAsync(temp.Path);

        Assert.True(result.WasPresent);
        Assert.Null(result.Download);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task HalfAPetImagesFolderIsReportedBeforeDownloading()
    {
        Directory.CreateDirectory(Path.Combine(temp.Path, "PetImages", "Cat"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Dataset().EnsureAsync(temp.Path));

        Assert.Contains("lacks Cat or Dog", error.Message);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task WrongHashIsRejectedAndNothingIsExtracted()
    {
        var error = await Assert.ThrowsAsync<ArchiveVerificationException>(
            () => Dataset(sha256: new string('a', 64)).EnsureAsync(temp.Path));

        Assert.Equal(Zip.Sha256, error.ActualSha256);
        Assert.False(CatsDogsDataset.IsPresent(temp.Path));
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task InterruptedEnsureResumesOnTheNextCall()
    {
        server.DropAt(Zip.Bytes.Length / 2, responses: int.MaxValue);
        server.ClientFile = Path.Combine(temp.Path, "kagglecatsanddogs_5340.zip.part");
        await Assert.ThrowsAsync<DownloadFailedException>(() => Dataset().EnsureAsync(temp.Path));
        Assert.Equal(Zip.Bytes.Length / 2, new FileInfo(Path.Combine(temp.Path, "kagglecatsanddogs_5340.zip.part")).Length);

        server.DropAt(0, responses: 0);
        var result = await Dataset().EnsureAsync(temp.Path);

        Assert.True(result.Download!.Resumed);
        Assert.Equal($"bytes={Zip.Bytes.Length / 2}-", server.RangeHeaders.Last());
        Assert.True(CatsDogsDataset.IsPresent(temp.Path));
    }

    [Fact]
    public async Task SecondRunIntoTheSameFolderIsRefusedWhileTheFirstRuns()
    {
        server.PauseAfter(Zip.Bytes.Length / 3);
        using var cts = new CancellationTokenSource();
        var first = Dataset().EnsureAsync(temp.Path, ct: cts.Token);
        await server.Paused.Task.WaitAsync(TimeSpan.FromSeconds(5));
        string part = Path.Combine(temp.Path, "kagglecatsanddogs_5340.zip.part");
        for (int i = 0; i < 500 && !(File.Exists(part) && new FileInfo(part).Length == Zip.Bytes.Length / 3); i++)
            await Task.Delay(10);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Dataset().EnsureAsync(temp.Path));
        Assert.Contains("Another download or extraction", error.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new ArchiveDownloader(FixedDiskSpace.Plenty).DownloadAsync(http, Dataset().Settings, temp.Path));

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        var result = await Dataset().EnsureAsync(temp.Path);
        Assert.True(result.Download!.Resumed);
        Assert.Equal(["PetImages"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ResolvesAsATypedHttpClientWithSettingsFromConfiguration()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Download:Url"] = server.Url,
            ["Download:ExpectedBytes"] = Zip.Bytes.Length.ToString(),
            ["Download:Sha256"] = Zip.Sha256,
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(config);
        services.AddOptions<DownloadSettings>().BindConfiguration(DownloadSettings.SectionName).ValidateDataAnnotations();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DownloadSettings>>().Value);
        services.AddHttpClient<CatsDogsDataset>();
        using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<CatsDogsDataset>().EnsureAsync(temp.Path);

        Assert.Equal(44, result.Extraction!.Extracted);
    }

    [Fact]
    public async Task HttpClientTimeoutDoesNotCutALongDownload()
    {
        // HttpClient.Timeout covers the request up to the headers (ResponseHeadersRead), not the body: an 800 MB download
        // with the default 100 s Timeout is not cut; RetryPolicy.StallTimeout guards the body instead.
        server.ChunkDelay = TimeSpan.FromMilliseconds(300); // 7 chunks of 8 KB: ~2 s of body
        var timeout = TimeSpan.FromSeconds(1.5);
        using var client = new HttpClient { Timeout = timeout };
        var settings = new DownloadSettings { Url = server.Url, ExpectedBytes = Zip.Bytes.Length, Sha256 = Zip.Sha256 };
        var noRetry = RetryPolicy.Default with { MaxAttempts = 1 };
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = await new ArchiveDownloader(FixedDiskSpace.Plenty, noRetry).DownloadAsync(client, settings, temp.Path);

        Assert.True(watch.Elapsed > timeout, $"took {watch.Elapsed}");
        Assert.Equal(0, result.Retries);
    }

    [Fact]
    public void SettingsDefaultToTheMicrosoftReleaseAndBindFromTheDownloadSection()
    {
        var defaults = new DownloadSettings();
        Assert.Equal("https://download.microsoft.com/download/3/E/1/3E1C3F21-ECDB-4869-8368-6DEBA77B919F/kagglecatsanddogs_5340.zip", defaults.Url);
        Assert.Equal(824_887_076, defaults.ExpectedBytes);
        Assert.Equal("b7974bd00a84a99921f36ee4403f089853777b5ae8d151c76a86e64900334af9", defaults.Sha256);
        Assert.Equal("kagglecatsanddogs_5340.zip", defaults.ArchiveFileName);
        Assert.Equal("787 MB", new CatsDogsDataset(http, defaults).DownloadSizeText);

        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Download:Url"] = "http://mirror.example/cats.zip",
        }).Build();
        var bound = config.GetSection(DownloadSettings.SectionName).Get<DownloadSettings>()!;
        Assert.Equal(("http://mirror.example/cats.zip", 824_887_076L, "cats.zip"), (bound.Url, bound.ExpectedBytes, bound.ArchiveFileName));
    }

    [Theory]
    [InlineData("not a url", 1, "b7974bd00a84a99921f36ee4403f089853777b5ae8d151c76a86e64900334af9", "Url")]
    [InlineData("http://x/y.zip", 0, "b7974bd00a84a99921f36ee4403f089853777b5ae8d151c76a86e64900334af9", "ExpectedBytes")]
    [InlineData("http://x/y.zip", 1, "b7974bd0", "Sha256")]
    public void InvalidSettingsFailValidation(string url, long bytes, string sha, string member)
    {
        var settings = new DownloadSettings { Url = url, ExpectedBytes = bytes, Sha256 = sha };
        var errors = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(settings, new ValidationContext(settings), errors, validateAllProperties: true));
        Assert.Equal([member], errors.SelectMany(e => e.MemberNames));
    }

    [Fact]
    public void RealDiskSpaceIsFoundForAFolderNotYetCreated()
    {
        Assert.True(DriveDiskSpace.Instance.AvailableBytes(temp.PathOf("not/yet/there")) > 0);
    }

    [Fact]
    public void ProgressDescribesItselfForATerminal()
    {
        var p = new DownloadProgress(DownloadStage.Downloading, 300L << 20, 800L << 20, 10 << 20, TimeSpan.FromSeconds(50));

        Assert.Equal("Downloading 300.0 / 800.0 MB (38 %), 10.0 MB/s, 0:50 left",
            p.Describe().Replace('\u00A0', ' '));
    }
}
