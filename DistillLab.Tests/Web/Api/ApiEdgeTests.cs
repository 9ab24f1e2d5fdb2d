using System.Net;
using System.Net.Http.Json;
using System.Text;
using DistillLab.Core.Experiments;
using DistillLab.Web.Runs;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Api;

/// <summary>Answers a probe found wrong: a cancelled queued run kept its queue slot, and requests that are the
/// client's mistake got 500 (an empty multipart body, an image index of int.MaxValue, a body over 30 MB).</summary>
[Collection(DashboardCollection.Name)]
public sealed class ApiEdgeTests
{
    [Fact]
    public async Task CancellingAQueuedRunFreesItsSlotInAFullQueue()
    {
        var engine = new ScriptedEngine { HoldAfterFirstEpochOf = ModelRole.Teacher };
        using var host = new DashboardHost(engine, settings: new Dictionary<string, string?> { ["Dashboard:QueueCapacity"] = "1" });
        using var http = host.Http();
        var running = await host.SubmitAsync(http, new { });
        await engine.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var queued = await host.SubmitAsync(http, new { alpha = 0.5 });
        var full = await http.PostAsJsonAsync("/api/runs", new { alpha = 0.6 });
        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
        Assert.Contains("cancel one", await full.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync($"/api/runs/{queued}/cancel", null)).StatusCode);
        var again = await http.PostAsJsonAsync("/api/runs", new { alpha = 0.6 });
        Assert.True(again.StatusCode == HttpStatusCode.Accepted, $"{(int)again.StatusCode}: {await again.Content.ReadAsStringAsync()}");
        engine.Release();
        await host.WaitForAsync(http, running, r => !r.IsActive);
    }

    [Fact]
    public async Task ClientMistakesAreAnswered4xxNot500()
    {
        using var host = new DashboardHost(new ScriptedEngine(epochs: 1, batches: 1));
        using var http = host.Http();
        var id = await host.SubmitAsync(http, new { });
        await host.WaitForAsync(http, id, r => r.Status == RunStatus.Completed);

        // Image indices at and past the end, including the one whose index + 1 overflowed an int.
        foreach (var index in new[] { int.MaxValue, -1, 100_000 })
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/runs/{id}/images/{index}.png")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/runs/{id}/images/0.png")).StatusCode);

        // A multipart content type with an empty body, and one without its boundary.
        foreach (var contentType in new[] { "multipart/form-data; boundary=xyz", "multipart/form-data" })
        {
            var empty = new ByteArrayContent([]);
            empty.Headers.TryAddWithoutValidation("Content-Type", contentType);
            var response = await http.PostAsync($"/api/runs/{id}/predict", empty);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{contentType}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        // Bodies far beyond any run config: with a length and chunked (without one). (Over 30 MB the server answers 413 as
        // early and then closes the connection, which a client still sending sees as a broken pipe.)
        var big = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"notes\":\"" + new string('x', 300_000) + "\"}"));
        big.Headers.ContentType = new("application/json");
        var tooLarge = await http.PostAsync("/api/runs", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("at most 64 KB", await tooLarge.Content.ReadAsStringAsync());
        Assert.StartsWith("HTTP/1.1 413", await RawChunkedPostAsync(host.BaseAddress, "/api/runs", "{\"notes\":\"" + new string('x', 70_000) + "\"}"));

        // An unknown id is quoted, but only its start.
        var longId = new string('a', 2000);
        var body = await (await http.GetAsync($"/api/runs/{longId}")).Content.ReadAsStringAsync();
        Assert.True(body.Length < 600, $"{body.Length} characters");
    }

    /// <summary>A chunked POST written whole before the answer is read: HttpClient sends the body while the server has
    /// already answered 413 and closed, and then reports a broken connection instead of the answer.</summary>
    private static async Task<string> RawChunkedPostAsync(Uri server, string path, string body)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        byte[] data = Encoding.UTF8.GetBytes(body);
        string head = $"POST {path} HTTP/1.1\r\nHost: {server.Host}:{server.Port}\r\nContent-Type: application/json\r\n" +
                      $"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n{data.Length:x}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(data);
        await stream.WriteAsync("\r\n0\r\n\r\n"u8.ToArray());
        var buffer = new byte[4096];
        int read = await stream.ReadAsync(buffer);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
