using System.Net;
using System.Net.WebSockets;
using System.Text;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Hosting;

/// <summary>Another web site's page, in a visitor's browser, cannot start or cancel runs, start the download, or open
/// the hub or the dashboard's circuit; a rebinding host name gets 400. Tools that send no Origin are unaffected.</summary>
[Collection(DashboardCollection.Name)]
public sealed class CrossSiteTests
{
    private const string Evil = "http://evil.example";

    private static HttpRequestMessage Post(string path, HttpContent? body, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task AForeignOriginCannotStartOrCancelRunsOrTheDownload()
    {
        using var host = new DashboardHost(new ScriptedEngine());
        using var http = host.Http();
        foreach (var (path, body) in new (string, HttpContent?)[]
                 {
                     ("/api/runs", Json("{}")), ("/api/runs", new StringContent("{}", Encoding.UTF8, "text/plain")),
                     ("/api/runs", new FormUrlEncodedContent([new("alpha", "0.5")])),
                     ("/api/datasets/petimages/download", null), ("/api/datasets/petimages/download/cancel", null),
                     ("/api/runs/x/cancel", null),
                 })
        {
            var response = await http.SendAsync(Post(path, body, Evil));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode}");
            Assert.Contains("Security:AllowedOrigins", await response.Content.ReadAsStringAsync());
        }
        var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/runs/x");
        delete.Headers.Add("Origin", Evil);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(delete)).StatusCode);
        Assert.Equal("[]", await http.GetStringAsync("/api/runs"));
    }

    [Fact]
    public async Task StateChangingBodiesMustBeJson()
    {
        using var host = new DashboardHost(new ScriptedEngine());
        using var http = host.Http();
        var plain = await http.SendAsync(Post("/api/runs", new StringContent("{}", Encoding.UTF8, "text/plain"), origin: null));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
        Assert.Contains("application/json", await plain.Content.ReadAsStringAsync());
        var form = await http.SendAsync(Post("/api/runs", new FormUrlEncodedContent([new("alpha", "0.5")]), origin: null));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        var predict = await http.SendAsync(Post("/api/runs/x/predict", Json("{}"), origin: null));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, predict.StatusCode);
        Assert.Contains("multipart/form-data", await predict.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheDashboardsOwnOriginAndConfiguredProxyOriginsMayChangeState()
    {
        using var host = new DashboardHost(new ScriptedEngine(), settings: new Dictionary<string, string?>
        {
            ["Security:AllowedOrigins:0"] = "https://lab.example.org",
        });
        using var http = host.Http();
        string own = host.BaseAddress.GetLeftPart(UriPartial.Authority);
        string ownByName = own.Replace("127.0.0.1", "localhost");
        foreach (var origin in new[] { own, ownByName, "https://lab.example.org", null })
        {
            var response = await http.SendAsync(Post("/api/runs", Json("{\"alpha\": 7}"), origin));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{origin}: {(int)response.StatusCode}"); // reached validation
        }
        var otherPort = new UriBuilder(own) { Port = host.BaseAddress.Port + 1 }.Uri.GetLeftPart(UriPartial.Authority);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(Post("/api/runs", Json("{}"), otherPort))).StatusCode);
        var crossSite = Post("/api/runs", Json("{}"), origin: null);
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(crossSite)).StatusCode);
    }

    [Theory]
    [InlineData("/hubs/training")]
    [InlineData("/_blazor")]
    public async Task WebSocketUpgradesFromAForeignOriginAreRefused(string path)
    {
        using var host = new DashboardHost(new ScriptedEngine());
        var url = new UriBuilder(host.BaseAddress) { Scheme = "ws", Path = path }.Uri;
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", Evil);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(url, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task AHostNameOtherThanLoopbackGets400AgainstDnsRebinding()
    {
        using var host = new DashboardHost(new ScriptedEngine()); // AllowedHosts as appsettings.json ships it
        using var http = host.Http();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        request.Headers.Host = "evil.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/runs")).StatusCode);
    }
}
