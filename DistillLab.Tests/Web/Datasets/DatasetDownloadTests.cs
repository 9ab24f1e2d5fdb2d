using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Datasets;

/// <summary>The dashboard's Cats vs Dogs download over the API, against a Range-capable server on 127.0.0.1 serving the fixture zip.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DatasetDownloadTests
{
    private const string DownloadPath = "/api/datasets/petimages/download";
    private static readonly PetImagesZip Zip = PetImagesZipFixture.Shared;

    private static DashboardHost HostFor(RangeFileServer server) => new(new ScriptedEngine(), settings: new Dictionary<string, string?>
    {
        ["Download:Url"] = server.Url,
        ["Download:ExpectedBytes"] = Zip.Bytes.Length.ToString(),
        ["Download:Sha256"] = Zip.Sha256,
    });

    [Fact]
    public async Task PostedDownloadFinishesAndPetImagesIsListedWithItsImages()
    {
        await using var server = await RangeFileServer.StartAsync(Zip.Bytes);
        using var host = HostFor(server);
        using var http = host.Http();
        var before = await Status(http);
        Assert.Equal("idle", before.GetProperty("state").GetString());
        Assert.False(before.GetProperty("present").GetBoolean());

        var start = await http.PostAsync(DownloadPath, null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var done = await WaitFor(http, "done");

        Assert.True(done.GetProperty("present").GetBoolean());
        Assert.False(done.TryGetProperty("message", out _), done.ToString()); // nulls are left out
        var petImages = (await http.GetFromJsonAsync<JsonElement[]>("/api/datasets"))!.Single(d => d.GetProperty("source").GetString() == "petimages");
        Assert.Equal(Zip.ExtractedCats + Zip.ExtractedDogs, petImages.GetProperty("images").GetInt32());
        Assert.True(Directory.Exists(Path.Combine(host.DataDirectory, "cats_vs_dogs", "PetImages", "Cat")));
        Assert.False(File.Exists(Path.Combine(host.DataDirectory, "cats_vs_dogs", "kagglecatsanddogs_5340.zip")));
        // Present now: a second POST changes nothing and asks the server for nothing.
        int requests = server.RequestCount;
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(DownloadPath, null)).StatusCode);
        Assert.Equal(requests, server.RequestCount);
    }

    [Fact]
    public async Task CancelledDownloadResumesWithARangeRequestAndFinishes()
    {
        await using var server = await RangeFileServer.StartAsync(Zip.Bytes);
        server.ChunkDelay = TimeSpan.FromMilliseconds(150);
        using var host = HostFor(server);
        using var http = host.Http();

        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync(DownloadPath, null)).StatusCode);
        var running = await WaitUntil(http, s => s.GetProperty("bytesDone").GetInt64() >= 16 * 1024);
        Assert.Equal("downloading", running.GetProperty("state").GetString());
        Assert.Equal(Zip.Bytes.Length, running.GetProperty("totalBytes").GetInt64());
        Assert.StartsWith("Downloading ", running.GetProperty("text").GetString());
        var second = await http.PostAsync(DownloadPath, null);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync(DownloadPath + "/cancel", null)).StatusCode);
        var cancelled = await WaitFor(http, "cancelled");
        Assert.True(cancelled.GetProperty("canResume").GetBoolean());
        Assert.Contains("cancelled", cancelled.GetProperty("message").GetString());
        Assert.False(cancelled.GetProperty("present").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync(DownloadPath + "/cancel", null)).StatusCode);

        server.ChunkDelay = TimeSpan.Zero;
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync(DownloadPath, null)).StatusCode);
        await WaitFor(http, "done");
        var resumed = server.RangeHeaders.Last();
        Assert.StartsWith("bytes=", resumed);
        Assert.NotEqual("bytes=0-", resumed);
        Assert.Contains((await http.GetFromJsonAsync<JsonElement[]>("/api/datasets"))!,
            d => d.GetProperty("source").GetString() == "petimages" && d.GetProperty("images").ValueKind == JsonValueKind.Number);
    }

    [Fact]
    public async Task ArchiveWithTheWrongHashEndsFailedWithTheMessageAndNothingExtracted()
    {
        await using var server = await RangeFileServer.StartAsync(Zip.Bytes);
        using var host = new DashboardHost(new ScriptedEngine(), settings: new Dictionary<string, string?>
        {
            ["Download:Url"] = server.Url,
            ["Download:ExpectedBytes"] = Zip.Bytes.Length.ToString(),
            ["Download:Sha256"] = new string('0', 64),
        });
        using var http = host.Http();

        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync(DownloadPath, null)).StatusCode);
        var failed = await WaitFor(http, "failed");

        Assert.Contains("SHA-256", failed.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.False(failed.GetProperty("present").GetBoolean());
        Assert.False(failed.GetProperty("canResume").GetBoolean());
        Assert.False(Directory.Exists(Path.Combine(host.DataDirectory, "cats_vs_dogs", "PetImages")));
    }

    private static async Task<JsonElement> Status(HttpClient http) => await http.GetFromJsonAsync<JsonElement>(DownloadPath);

    private static async Task<JsonElement> WaitFor(HttpClient http, string state)
    {
        var status = await WaitUntil(http, s => s.GetProperty("state").GetString() is "done" or "failed" or "cancelled");
        Assert.True(status.GetProperty("state").GetString() == state, status.ToString());
        return status;
    }

    private static async Task<JsonElement> WaitUntil(HttpClient http, Func<JsonElement, bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var status = await Status(http);
            if (condition(status)) return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Download still {status} after {seconds} s.");
            await Task.Delay(50);
        }
    }
}
