using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DistillLab.Web.Settings;
using DistillLab.Web.Runs;
using Microsoft.Extensions.Options;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Api;

/// <summary>Names and notes through the HTTP API (scripted runs), and in the SQLite history across a restart.</summary>
[Collection(DashboardCollection.Name)]
public sealed class RunLabelApiTests
{
    [Fact]
    public async Task PatchNamesARunAndLeavesOutFieldsAsTheyAre()
    {
        using var host = new DashboardHost(new ScriptedEngine(epochs: 1, batches: 1));
        using var http = host.Http();
        var id = await host.SubmitAsync(http, new { name = "baseline", notes = "defaults" });
        await host.WaitForAsync(http, id, r => !r.IsActive, 30);

        var renamed = await Patch(http, id, """{ "name": "  α 0.1, T 5  " }""");
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var run = (await http.GetFromJsonAsync<RunDetails>($"/api/runs/{id}", DashboardHost.Json))!;
        Assert.Equal(("α 0.1, T 5", "defaults"), (run.Name, run.Notes));

        Assert.Equal(HttpStatusCode.OK, (await Patch(http, id, """{ "notes": "line one\nline two" }""")).StatusCode);
        var csv = await http.GetStringAsync($"/api/runs/export?ids={id}&format=csv");
        Assert.EndsWith(",name,notes", csv.Split('\n')[0]);
        Assert.Contains(",\"α 0.1, T 5\",\"line one\nline two\"\n", csv);
        var json = await http.GetFromJsonAsync<JsonElement[]>($"/api/runs/export?ids={id}&format=json");
        Assert.Equal("α 0.1, T 5", json![0].GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.OK, (await Patch(http, id, """{ "name": null }""")).StatusCode);
        var listed = (await http.GetFromJsonAsync<RunDetails>($"/api/runs/{id}", DashboardHost.Json))!;
        Assert.Null(listed.Name);
        Assert.Equal("line one\nline two", listed.Notes);
    }

    [Fact]
    public async Task PatchRefusesTooLongControlCharactersWrongTypesAndUnknownRuns()
    {
        using var host = new DashboardHost(new ScriptedEngine(epochs: 1, batches: 1));
        using var http = host.Http();
        var id = await host.SubmitAsync(http, new { });

        await AssertInvalid(await Patch(http, id, $$"""{ "name": "{{new string('n', 81)}}" }"""), "name", "name must be at most 80 characters; got 81.");
        await AssertInvalid(await Patch(http, id, $$"""{ "notes": "{{new string('n', 2001)}}" }"""), "notes", "notes must be at most 2000 characters; got 2001.");
        await AssertInvalid(await Patch(http, id, """{ "name": "bell\u0007" }"""), "name", "name must not contain control characters");
        await AssertInvalid(await Patch(http, id, """{ "name": 5 }"""), "name", "name must be a string");
        await AssertInvalid(await Patch(http, id, """{ "alpha": 0.5 }"""), "alpha", "only name and notes can");
        await AssertInvalid(await Patch(http, id, "not json"), "body", "body must be a JSON object");
        await AssertInvalid(await http.PostAsJsonAsync("/api/runs", new { name = new string('n', 81) }), "name", "at most 80 characters");

        var unknown = await Patch(http, "no-such-run", """{ "name": "x" }""");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no-such-run", await unknown.Content.ReadAsStringAsync());
        Assert.Null((await http.GetFromJsonAsync<RunDetails>($"/api/runs/{id}", DashboardHost.Json))!.Name);
    }

    [Fact]
    public void NameAndNotesSurviveReopeningTheStore()
    {
        var folder = Path.Combine(Path.GetTempPath(), "distilllab-labels-" + Guid.NewGuid().ToString("N")[..8]);
        var options = Options.Create(new DataOptions { Directory = folder, Roots = [folder] });
        try
        {
            var first = new RunStore(options);
            CompareRuns.Save(first, CompareRuns.Run("kept", new(), (0.9, 0.8, 0.8), name: "from insert"));
            Assert.True(first.SetLabel("kept", "low T", "notes\nover lines"));
            Assert.False(first.SetLabel("missing", "x", null));
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

            var reopened = new RunStore(options).Load("kept")!;
            Assert.Equal(("low T", "notes\nover lines"), (reopened.Name, reopened.Notes));
            Assert.Equal("low T", new RunStore(options).List().Single().Name);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<HttpResponseMessage> Patch(HttpClient http, string id, string body) =>
        http.PatchAsync($"/api/runs/{id}", new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task AssertInvalid(HttpResponseMessage response, string field, string message)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.Contains(message, errors.GetProperty(field)[0].GetString());
    }
}
