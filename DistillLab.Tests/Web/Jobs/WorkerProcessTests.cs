using System.Net.Http.Json;
using System.Text.Json;
using DistillLab.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace DistillLab.Tests.Web.Jobs;

/// <summary>The postgres job engine as separate processes: a dashboard that trains nothing (Jobs:Workers=0) and worker
/// processes, each with its own data folder, sharing only the PostgreSQL database. Torch:Threads=1 each: two trainings
/// on two cores with libtorch's default threads slow each other tenfold.</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class WorkerProcessTests(PostgresServer server, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly List<AppProcess> processes = [];
    private readonly string database = server.CreateDatabase("jobs");

    private static readonly object SmallRun = new { data = "synthetic", imageSize = 48, limit = 300, teacherEpochs = 2, studentEpochs = 1 };

    [Fact]
    public async Task ARunPostedToTheDashboardIsTrainedByAWorkerAndItsEpochsReachTheDashboardsHub()
    {
        var (http, hubUrl) = await StartDashboard();
        StartWorker("worker-a");
        await WaitForWorkers(http, "worker-a");

        var epochs = new List<(JsonElement Event, DateTimeOffset Received)>();
        await using var hub = new HubConnectionBuilder().WithUrl(hubUrl).Build();
        hub.On<JsonElement>("EpochCompleted", e => { lock (epochs) epochs.Add((e, DateTimeOffset.UtcNow)); });
        await hub.StartAsync();

        string id = await Submit(http, SmallRun);
        await Until(async () => (await http.GetFromJsonAsync<JsonElement[]>("/api/workers"))!.Any(w =>
            w.GetProperty("name").GetString() == "worker-a" && w.GetProperty("state").GetString() == "training"
            && w.GetProperty("runs").EnumerateArray().Any(r => r.GetString() == id)), TimeSpan.FromMinutes(1), "worker-a training the run in /api/workers");
        var run = await WaitFor(http, id, r => r.GetProperty("status").GetString() == "completed", TimeSpan.FromMinutes(4));

        Assert.Equal("worker-a", run.GetProperty("worker").GetString());
        Assert.Equal(2, run.GetProperty("teacher").GetProperty("history").GetArrayLength());
        List<(JsonElement Event, DateTimeOffset Received)> mine;
        lock (epochs) mine = epochs.Where(e => e.Event.GetProperty("runId").GetString() == id).ToList();
        // Two teacher epochs and one for each student, each sent once.
        Assert.Equal(["teacher:1", "teacher:2", "studentScratch:1", "studentDistilled:1"],
            mine.Select(e => $"{e.Event.GetProperty("model").GetString()}:{e.Event.GetProperty("metrics").GetProperty("epoch").GetInt32()}"));
        foreach (var (e, received) in mine)
            output.WriteLine($"epoch event: worker -> dashboard hub client {(received - e.GetProperty("at").GetDateTimeOffset()).TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task ARunWhoseDataSourceTheWorkerLacksFailsNamingTheWorkerAndTheSource()
    {
        // The folder is under the dashboard's data roots, not the worker's.
        string images = folder.Sub("dashboard-only/images");
        var (http, _) = await StartDashboard(extraRoot: images);
        StartWorker("worker-a");
        await WaitForWorkers(http, "worker-a");

        string id = await Submit(http, new { data = "folder:" + images, imageSize = 48, teacherEpochs = 1, studentEpochs = 1 });
        JsonElement run = default;
        await Until(async () => (run = await http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}")).GetProperty("status").GetString() == "failed",
            TimeSpan.FromMinutes(1), $"run {id} to fail");

        string error = run.GetProperty("error").GetString()!;
        Assert.Contains("worker-a", error);
        Assert.Contains("folder:" + images, error);
    }

    [Fact]
    public async Task ARunWhoseWorkerIsKilledIsTrainedAgainByAnotherWorkerWithinTwoMinutes()
    {
        var (http, _) = await StartDashboard();
        var first = StartWorker("worker-killed");
        await WaitForWorkers(http, "worker-killed");
        string id = await Submit(http, new { data = "synthetic", imageSize = 48, limit = 600, teacherEpochs = 8, studentEpochs = 1 });
        await WaitFor(http, id, r => r.TryGetProperty("teacher", out var t) && t.GetProperty("history").GetArrayLength() >= 1, TimeSpan.FromMinutes(2));

        first.KillHard();
        var killedAt = DateTimeOffset.UtcNow;
        StartWorker("worker-b");
        await WaitFor(http, id, r => r.TryGetProperty("worker", out var w) && w.GetString() == "worker-b", TimeSpan.FromMinutes(2));
        output.WriteLine($"taken again by worker-b {(DateTimeOffset.UtcNow - killedAt).TotalSeconds:F0} s after the kill");
        var run = await WaitFor(http, id, r => r.GetProperty("status").GetString() == "completed", TimeSpan.FromMinutes(4));

        Assert.Equal("worker-b", run.GetProperty("worker").GetString());
        // The first attempt's epochs were dropped when worker-b took the run: each epoch once.
        Assert.Equal(Enumerable.Range(1, 8), run.GetProperty("teacher").GetProperty("history").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
    }

    [Fact]
    public async Task AWorkerStoppedWithSigtermHandsItsRunBackAtAnEpochsEndAndAnotherWorkerFinishesIt()
    {
        var (http, _) = await StartDashboard();
        var first = StartWorker("worker-stopped");
        await WaitForWorkers(http, "worker-stopped");
        string id = await Submit(http, new { data = "synthetic", imageSize = 48, limit = 600, teacherEpochs = 8, studentEpochs = 1 });
        await WaitFor(http, id, r => r.TryGetProperty("teacher", out var t) && t.GetProperty("history").GetArrayLength() >= 1, TimeSpan.FromMinutes(2));

        first.Terminate();
        Assert.True(first.WaitForExit(TimeSpan.FromSeconds(90)), "the worker did not stop within 90 s of SIGTERM");
        await WaitFor(http, id, r => r.GetProperty("status").GetString() == "queued", TimeSpan.FromSeconds(10));
        Assert.Contains("is handed back", first.Output);
        Assert.Equal("Enqueued", JobState(id));

        StartWorker("worker-b");
        var run = await WaitFor(http, id, r => r.GetProperty("status").GetString() == "completed", TimeSpan.FromMinutes(4));
        Assert.Equal("worker-b", run.GetProperty("worker").GetString());
        Assert.Equal("Succeeded", JobState(id));
    }

    // The run's Hangfire job, found by its argument (the run id).
    private string? JobState(string runId)
    {
        using var connection = new Npgsql.NpgsqlConnection(database);
        connection.Open();
        using var query = new Npgsql.NpgsqlCommand("SELECT statename FROM hangfire.job WHERE arguments::text LIKE @id", connection);
        query.Parameters.AddWithValue("id", $"%{runId}%");
        return query.ExecuteScalar() as string;
    }

    /// <summary>docs/scale-out.md's figure: epoch end on a worker to the event in a dashboard's hub client.</summary>
    [DistillLab.Tests.EndToEnd.MeasurementFact]
    public async Task MeasureEpochToHubClientLatencyAcrossProcesses()
    {
        var (http, hubUrl) = await StartDashboard();
        StartWorker("worker-a");
        await WaitForWorkers(http, "worker-a");
        var latencies = new List<double>();
        await using var hub = new HubConnectionBuilder().WithUrl(hubUrl).Build();
        hub.On<JsonElement>("EpochCompleted", e =>
        {
            double ms = (DateTimeOffset.UtcNow - e.GetProperty("at").GetDateTimeOffset()).TotalMilliseconds;
            lock (latencies) latencies.Add(ms);
        });
        await hub.StartAsync();

        string id = await Submit(http, new { data = "synthetic", imageSize = 48, limit = 100, teacherEpochs = 20, studentEpochs = 20, batchSize = 16 });
        await WaitFor(http, id, r => r.GetProperty("status").GetString() == "completed", TimeSpan.FromMinutes(5));

        List<double> sorted;
        lock (latencies) sorted = [.. latencies.Order()];
        double At(double q) => sorted[(int)Math.Ceiling(q * sorted.Count) - 1];
        output.WriteLine($"{sorted.Count} epoch events, worker -> dashboard hub client: p50 {At(0.5):F0} ms, p95 {At(0.95):F0} ms, max {sorted[^1]:F0} ms");
        Assert.Equal(60, sorted.Count);
    }

    private Dictionary<string, string> Settings(string dataFolder) => new()
    {
        ["Jobs:Engine"] = "postgres", ["ConnectionStrings:DistillLab"] = database, ["Torch:Threads"] = "1",
        ["Data:Directory"] = dataFolder, ["Data:Roots:0"] = dataFolder,
    };

    private async Task<(HttpClient Http, string HubUrl)> StartDashboard(string? extraRoot = null)
    {
        int port = AppProcess.FreePort();
        var settings = Settings(folder.Sub("dashboard"));
        if (extraRoot is not null) settings["Data:Roots:1"] = extraRoot;
        settings["Jobs:Workers"] = "0";
        processes.Add(new AppProcess("dashboard", ["--urls", $"http://127.0.0.1:{port}"], settings));
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Until(async () =>
        {
            try { return (await http.GetAsync("/healthz")).IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
        }, TimeSpan.FromSeconds(90), "the dashboard to answer");
        return (http, $"http://127.0.0.1:{port}/hubs/training");
    }

    private AppProcess StartWorker(string name)
    {
        var settings = Settings(folder.Sub(name));
        settings["Jobs:WorkerName"] = name;
        var worker = new AppProcess(name, ["worker"], settings);
        processes.Add(worker);
        return worker;
    }

    private Task WaitForWorkers(HttpClient http, params string[] names) => Until(async () =>
    {
        var workers = await http.GetFromJsonAsync<JsonElement[]>("/api/workers");
        return names.All(n => workers!.Any(w => w.GetProperty("name").GetString() == n));
    }, TimeSpan.FromSeconds(90), $"workers {string.Join(", ", names)} in /api/workers");

    private static async Task<string> Submit(HttpClient http, object body)
    {
        var response = await http.PostAsJsonAsync("/api/runs", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> WaitFor(HttpClient http, string id, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        JsonElement run = default;
        await Until(async () =>
        {
            run = await http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}");
            Assert.NotEqual("failed", run.GetProperty("status").GetString());
            return done(run);
        }, timeout, $"run {id}");
        return run;
    }

    private async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            var exited = processes.FirstOrDefault(p => p.HasExited);
            if (exited is not null && exited.Name is not ("worker-killed" or "worker-stopped")) Assert.Fail($"{exited.Name} exited while waiting for {what}:\n{exited.Output}");
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for {what}.\n" +
                            string.Join("\n", processes.Select(p => $"--- {p.Name}\n{p.Output}")));
            await Task.Delay(250);
        }
    }

    public void Dispose()
    {
        foreach (var p in processes)
        {
            output.WriteLine($"--- {p.Name}\n{p.Output}");
            p.Dispose();
        }
        folder.Dispose();
    }
}
