using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Web.Datasets;
using DistillLab.Web.Runs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Training;

/// <summary>The service, queue, hub and API around scripted runs (no real training, so each test takes a second or two).</summary>
[Collection(DashboardCollection.Name)]
public sealed class ScriptedRunTests
{
    [Fact]
    public async Task LateJoinerGetRunReturnsTheEpochsAlreadyDone()
    {
        var engine = new ScriptedEngine { HoldAfterFirstEpochOf = ModelRole.StudentScratch };
        using var host = new DashboardHost(engine);
        using var http = host.Http();
        var id = await host.SubmitAsync(http, new { });
        await engine.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await using var late = await host.ConnectHubAsync();
        var run = await late.InvokeAsync<RunDetails?>("GetRun", id);
        Assert.NotNull(run);
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Equal(2, run.Teacher.History.Count);
        Assert.Single(run.StudentScratch.History);
        Assert.Empty(run.StudentDistilled.History);

        var completed = new TaskCompletionSource<RunCompletedEvent>();
        late.On<RunCompletedEvent>("RunCompleted", e => completed.TrySetResult(e));
        engine.Release();
        Assert.Equal(id, (await completed.Task.WaitAsync(TimeSpan.FromSeconds(30))).RunId);
        Assert.Null(await late.InvokeAsync<RunDetails?>("GetRun", "no-such-run"));
    }

    [Fact]
    public async Task CancelStopsARunningRunWithinABatch()
    {
        var engine = new ScriptedEngine(epochs: 50, batches: 100, batchMilliseconds: 10);
        using var host = new DashboardHost(engine);
        using var http = host.Http();
        await using var hub = await host.ConnectHubAsync();
        var cancelled = new TaskCompletionSource<RunCancelledEvent>();
        var firstBatch = new TaskCompletionSource();
        hub.On<RunCancelledEvent>("RunCancelled", e => cancelled.TrySetResult(e));
        hub.On<BatchProgressEvent>("BatchProgress", _ => firstBatch.TrySetResult());
        var id = await host.SubmitAsync(http, new { });
        await firstBatch.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var response = await http.PostAsync($"/api/runs/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var run = await host.WaitForAsync(http, id, r => !r.IsActive, 5);
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync($"/api/runs/{id}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task RunQueuedBehindATrainingRunShowsItsPositionAndAFullQueueAnswers429()
    {
        var engine = new ScriptedEngine { HoldAfterFirstEpochOf = ModelRole.Teacher };
        using var host = new DashboardHost(engine, settings: new Dictionary<string, string?> { ["Dashboard:QueueCapacity"] = "1" });
        using var http = host.Http();
        var first = await host.SubmitAsync(http, new { });
        await engine.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var second = await http.PostAsJsonAsync("/api/runs", new { alpha = 0.3 });
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var queued = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("queued", queued.GetProperty("status").GetString());
        Assert.Equal(1, queued.GetProperty("queuePosition").GetInt32());

        var third = await http.PostAsJsonAsync("/api/runs", new { alpha = 0.4 });
        Assert.Equal((HttpStatusCode)429, third.StatusCode);
        Assert.Contains("queue is full", await third.Content.ReadAsStringAsync());
        Assert.Equal(2, (await http.GetFromJsonAsync<JsonElement[]>("/api/runs"))!.Length);

        // A queued run can be cancelled before it starts; the service then goes on normally.
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync($"/api/runs/{queued.GetProperty("id").GetString()}/cancel", null)).StatusCode);
        engine.Release();
        Assert.Equal(RunStatus.Completed, (await host.WaitForAsync(http, first, r => !r.IsActive, 30)).Status);
        Assert.Equal(RunStatus.Cancelled, (await host.WaitForAsync(http, queued.GetProperty("id").GetString()!, r => !r.IsActive, 10)).Status);
    }

    [Fact]
    public async Task AFailedRunIsRecordedAndTheNextRunStillTrains()
    {
        var engine = new ScriptedEngine(epochs: 1, batches: 1) { FailWith = "loss diverged at epoch 1, batch 1" };
        using var host = new DashboardHost(engine);
        using var http = host.Http();
        var failed = await host.WaitForAsync(http, await host.SubmitAsync(http, new { }), r => !r.IsActive, 30);
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Contains("diverged", failed.Error);

        engine.FailWith = null;
        var next = await host.WaitForAsync(http, await host.SubmitAsync(http, new { }), r => !r.IsActive, 30);
        Assert.Equal(RunStatus.Completed, next.Status);
    }

    [Fact]
    public async Task InvalidConfigGets400WithOneErrorPerBadField()
    {
        using var host = new DashboardHost(new ScriptedEngine());
        using var http = host.Http();
        var response = await http.PostAsJsonAsync("/api/runs", new { alpha = 1.5, temperature = 0, batchSize = 0, imageSize = 20, data = "folder:/etc" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        var fields = errors.EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(new[] { "alpha", "batchSize", "data", "imageSize", "temperature" }, fields);

        // A path outside the data roots is refused with a message that says so.
        var outside = await http.PostAsJsonAsync("/api/runs", new { data = "folder:/etc" });
        var dataError = JsonDocument.Parse(await outside.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("data")[0].GetString();
        Assert.Contains("outside the allowed data folders", dataError);
        var wrongType = await http.PostAsync("/api/runs", new StringContent("""{"alpha":"abc"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.True(JsonDocument.Parse(await wrongType.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("alpha", out _));
        var unknown = await http.PostAsJsonAsync("/api/runs", new { data = "ftp:x" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Empty((await http.GetFromJsonAsync<JsonElement[]>("/api/runs"))!);
    }

    [Fact]
    public async Task UnknownRunIdsGet404()
    {
        using var host = new DashboardHost(new ScriptedEngine());
        using var http = host.Http();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/runs/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/api/runs/nope/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/runs/nope/predictions")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync("/api/runs/nope")).StatusCode);
        var predict = await http.PostAsync("/api/runs/nope/predict", new MultipartFormDataContent { { new ByteArrayContent([1]), "file", "x.png" } });
        Assert.Equal(HttpStatusCode.NotFound, predict.StatusCode);
    }

    [Fact]
    public async Task RunsCanBeExportedAsCsvAndJsonAndDeleted()
    {
        using var host = new DashboardHost(new ScriptedEngine(epochs: 1, batches: 1));
        using var http = host.Http();
        var id = await host.SubmitAsync(http, new { });
        await host.WaitForAsync(http, id, r => !r.IsActive, 30);

        var csv = await http.GetStringAsync($"/api/runs/export?ids={id}&format=csv");
        var lines = csv.Trim().Split('\n');
        Assert.StartsWith("runId,status,data", lines[0]);
        Assert.Equal(4, lines.Length);
        var json = await http.GetFromJsonAsync<JsonElement[]>($"/api/runs/export?ids={id}&format=json");
        Assert.Equal(id, json![0].GetProperty("id").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/api/runs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/runs/{id}")).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(host.DataDirectory, "runs", id)));
    }

    [Fact]
    public async Task HealthAndDatasetsAnswer()
    {
        using var host = new DashboardHost(new ScriptedEngine());
        using var http = host.Http();
        host.CreateImageFolder("pets", perClass: 3);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        var sets = (await http.GetFromJsonAsync<DatasetInfo[]>("/api/datasets", DashboardHost.Json))!;
        Assert.Equal("synthetic", sets[0].Source);
        Assert.Contains(sets, s => s.Source.EndsWith("pets") && s.Images == 6);
    }

    [Fact]
    public async Task ARunInProgressWhenTheServerStoppedShowsInterruptedAfterTheNextStart()
    {
        var data = Path.Combine(Path.GetTempPath(), "distilllab-restart-" + Guid.NewGuid().ToString("N")[..8]);
        string running, queued;
        var engine = new ScriptedEngine { HoldAfterFirstEpochOf = ModelRole.Teacher };
        using (var first = new DashboardHost(engine, data))
        {
            using var http = first.Http();
            running = await first.SubmitAsync(http, new { });
            await engine.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));
            queued = await first.SubmitAsync(http, new { alpha = 0.2 });
            // Simulate a crash: the rows are left as they were, whatever a graceful stop would write.
            var store = (RunStore)first.Services.GetService(typeof(RunStore))!;
            File.Copy(store.DatabasePath, Path.Combine(data, "crash-copy.db"));
            foreach (var suffix in new[] { "-wal", "-shm" })
                if (File.Exists(store.DatabasePath + suffix)) File.Copy(store.DatabasePath + suffix, Path.Combine(data, "crash-copy.db" + suffix));
        }
        File.Move(Path.Combine(data, "crash-copy.db"), Path.Combine(data, "distilllab.db"), overwrite: true);
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            File.Delete(Path.Combine(data, "distilllab.db" + suffix));
            if (File.Exists(Path.Combine(data, "crash-copy.db" + suffix)))
                File.Move(Path.Combine(data, "crash-copy.db" + suffix), Path.Combine(data, "distilllab.db" + suffix));
        }

        using var second = new DashboardHost(new ScriptedEngine(), data);
        using var again = second.Http();
        var run = (await again.GetFromJsonAsync<RunDetails>($"/api/runs/{running}", DashboardHost.Json))!;
        Assert.Equal(RunStatus.Interrupted, run.Status);
        Assert.Single(run.Teacher.History);
        Assert.Equal(RunStatus.Interrupted, (await again.GetFromJsonAsync<RunDetails>($"/api/runs/{queued}", DashboardHost.Json))!.Status);
        second.Dispose();
        Directory.Delete(data, recursive: true);
    }
}
