using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DistillLab.Web.Runs;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Api;

/// <summary>What the Lab page needs from the server: sample pictures, refusing petimages before its download, a favicon.</summary>
[Collection(DashboardCollection.Name)]
public sealed class LabPageHostTests
{
    [Fact]
    public async Task TheBuiltInSetsSamplePicturesAreServedAsPngs()
    {
        using var host = new DashboardHost(new ScriptedEngine());
        using var http = host.Http();
        var first = await http.GetAsync("/api/datasets/synthetic/samples/0.png");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("image/png", first.Content.Headers.ContentType!.MediaType);
        using var picture = SixLabors.ImageSharp.Image.Load(await first.Content.ReadAsByteArrayAsync());
        Assert.Equal((64, 64), (picture.Width, picture.Height));
        // Deterministic: the same bytes on every request; another index is another picture.
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await http.GetByteArrayAsync("/api/datasets/synthetic/samples/0.png"));
        Assert.NotEqual(await first.Content.ReadAsByteArrayAsync(), await http.GetByteArrayAsync("/api/datasets/synthetic/samples/7.png"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/datasets/synthetic/samples/8.png")).StatusCode);
    }

    [Fact]
    public async Task APetImagesRunIsRefusedUntilThePhotosAreDownloaded()
    {
        using var host = new DashboardHost(new ScriptedEngine());
        using var http = host.Http();
        var response = await http.PostAsJsonAsync("/api/runs", new { data = "petimages" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("data")[0].GetString();
        Assert.Contains("not downloaded yet", error);
        Assert.Empty((await http.GetFromJsonAsync<JsonElement[]>("/api/runs"))!);

        // Once PetImages/Cat and PetImages/Dog exist, the same request is accepted.
        foreach (var cls in new[] { "Cat", "Dog" }) Directory.CreateDirectory(Path.Combine(host.DataDirectory, "cats_vs_dogs", "PetImages", cls));
        Assert.Empty(host.Services.GetService(typeof(RunRequests)) is RunRequests requests
            ? requests.Validate(new DistillLab.Core.Experiments.LabConfig { Data = "petimages" }) : throw new InvalidOperationException());
    }

    [Fact]
    public async Task EveryPageLinksAFaviconThatIsServed()
    {
        using var host = new DashboardHost(new ScriptedEngine());
        using var http = host.Http();
        foreach (var page in new[] { "/", "/predictions", "/runs" })
            Assert.Contains("<link rel=\"icon\" type=\"image/svg+xml\" href=\"favicon.svg\"", await http.GetStringAsync(page));
        var icon = await http.GetAsync("/favicon.svg");
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType!.MediaType);
    }
}
