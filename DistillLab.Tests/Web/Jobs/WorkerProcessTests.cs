using System.Net.Http.Json;
using System.Text.Json;
using DistillLab.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace DistillLab.Tests.Web.Jobs;

/// <summary>The postgres job engine as separate processes (<see cref="JobsCluster"/>): a dashboard that trains nothing
/// and worker processes sharing only the PostgreSQL database.</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class WorkerProcessTests(PostgresServer server, ITestOutputHelper output) : IDisposable
{
    private readonly JobsCluster cluster = new(server, output);

    private static readonly object SmallRun = new { data = "synthetic", imageSize = 48, limit = 300, teacherEpochs = 2, studentEpochs = 1 };

    [Fact]
    public async Task ARunPostedToTheDashboardIsTrainedByAWorkerAndItsEpochsReachTheDashboardsHub()
    {
        var (http, hubUrl) = await cluster.StartDashboard();
        cluster.StartWorker("worker-a");
        await cluster.WaitForWorkers(http, "worker-a");

        var epochs = new List<(JsonElement Event, DateTimeOffset Received)>();
        await using var hub = new HubConnectionBuilder().WithUrl(hubUrl).Build();
        hub.On<JsonElement>("EpochCompleted", e => { lock (epochs) epochs.Add((e, DateTimeOffset.UtcNow)); });
        await hub.StartAsync();

        string id = await JobsCluster.Submit(http, SmallRun);
        await cluster.Until(async () => (await http.GetFromJsonAsync<JsonElement[]>("/api/workers"))!.Any(w =>
            w.GetProperty("name").GetString() == "worker-a" && w.GetProperty("state").GetString() == "training"
            && w.GetProperty("runs").EnumerateArray().Any(r => r.GetString() == id)), TimeSpan.FromMinutes(1), "worker-a training the run in /api/workers");
        var run = await cluster.WaitFor(http, id, r => r.GetProperty("status").GetString() == "completed", TimeSpan.FromMinutes(4));

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
        string images = cluster.Folder("dashboard-only/images");
        var (http, _) = await cluster.StartDashboard(extraRoot: images);
        cluster.StartWorker("worker-a");
        await cluster.WaitForWorkers(http, "worker-a");

        string id = await JobsCluster.Submit(http, new { data = "folder:" + images, imageSize = 48, teacherEpochs = 1, studentEpochs = 1 });
        JsonElement run = default;
        await cluster.Until(async () => (run = await http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}")).GetProperty("status").GetString() == "failed",
            TimeSpan.FromMinutes(1), $"run {id} to fail");

        string error = run.GetProperty("error").GetString()!;
        Assert.Contains("worker-a", error);
        Assert.Contains("folder:" + images, error);
    }

    [Fact]
    public async Task ARunWhoseWorkerIsKilledIsTrainedAgainByAnotherWorkerWithinTwoMinutes()
    {
        var (http, _) = await cluster.StartDashboard();
        var first = cluster.StartWorker("worker-killed");
        await cluster.WaitForWorkers(http, "worker-killed");
        string id = await JobsCluster.Submit(http, new { data = "synthetic", imageSize = 48, limit = 600, teacherEpochs = 8, studentEpochs = 1 });
        await cluster.WaitFor(http, id, r => r.TryGetProperty("teacher", out var t) && t.GetProperty("history").GetArrayLength() >= 1, TimeSpan.FromMinutes(2));

        cluster.Stopping(first).KillHard();
        var killedAt = DateTimeOffset.UtcNow;
        cluster.StartWorker("worker-b");
        await cluster.WaitFor(http, id, r => r.TryGetProperty("worker", out var w) && w.GetString() == "worker-b", TimeSpan.FromMinutes(2));
        output.WriteLine($"taken again by worker-b {(DateTimeOffset.UtcNow - killedAt).TotalSeconds:F0} s after the kill");
        var run = await cluster.WaitFor(http, id, r => r.GetProperty("status").GetString() == "completed", TimeSpan.FromMinutes(4));

        Assert.Equal("worker-b", run.GetProperty("worker").GetString());
        // The first attempt's epochs were dropped when worker-b took the run: each epoch once.
        Assert.Equal(Enumerable.Range(1, 8), run.GetProperty("teacher").GetProperty("history").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
    }

    [Fact]
    public async Task AWorkerStoppedWithSigtermHandsItsRunBackAtAnEpochsEndAndAnotherWorkerFinishesIt()
    {
        var (http, _) = await cluster.StartDashboard();
        var first = cluster.StartWorker("worker-stopped");
        await cluster.WaitForWorkers(http, "worker-stopped");
        string id = await JobsCluster.Submit(http, new { data = "synthetic", imageSize = 48, limit = 600, teacherEpochs = 8, studentEpochs = 1 });
        await cluster.WaitFor(http, id, r => r.TryGetProperty("teacher", out var t) && t.GetProperty("history").GetArrayLength() >= 1, TimeSpan.FromMinutes(2));

        cluster.Stopping(first).Terminate();
        Assert.True(first.WaitForExit(TimeSpan.FromSeconds(90)), "the worker did not stop within 90 s of SIGTERM");
        await cluster.WaitFor(http, id, r => r.GetProperty("status").GetString() == "queued", TimeSpan.FromSeconds(10));
        Assert.Contains("is handed back", first.Output);
        Assert.Equal("Enqueued", cluster.JobState(id));

        cluster.StartWorker("worker-b");
        var run = await cluster.WaitFor(http, id, r => r.GetProperty("status").GetString() == "completed", TimeSpan.FromMinutes(4));
        Assert.Equal("worker-b", run.GetProperty("worker").GetString());
        await cluster.JobReaches(id, "Succeeded");
    }

    /// <summary>Hangfire takes a job from its worker without deleting it (as after a database outage hid the worker's
    /// renewals): that is not the user's cancel. The worker stops training without marking the run cancelled, and the
    /// job, queued again, trains the run to its end.</summary>
    [Fact]
    public async Task AJobTakenFromItsWorkerWithoutACancelIsNotACancelAndTheRunStillCompletes()
    {
        var (http, _) = await cluster.StartDashboard();
        var worker = cluster.StartWorker("worker-a");
        await cluster.WaitForWorkers(http, "worker-a");
        string id = await JobsCluster.Submit(http, new { data = "synthetic", imageSize = 48, limit = 600, teacherEpochs = 8, studentEpochs = 1 });
        await cluster.WaitFor(http, id, r => r.TryGetProperty("teacher", out var t) && t.GetProperty("history").GetArrayLength() >= 1, TimeSpan.FromMinutes(2));

        long jobId = cluster.Query<long>("SELECT id FROM hangfire.job WHERE arguments::text LIKE @id", ("id", $"%{id}%"));
        var options = DistillLab.Web.Jobs.JobsExtensions.StorageOptions();
        var storage = new Hangfire.PostgreSql.PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(cluster.Database, options), options);
        Assert.True(new Hangfire.BackgroundJobClient(storage).ChangeState(jobId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new Hangfire.States.EnqueuedState { Reason = "test: taken from its worker" }, Hangfire.States.ProcessingState.StateName));

        var run = await cluster.WaitFor(http, id, r => r.GetProperty("status").GetString() is "completed" or "cancelled" or "failed", TimeSpan.FromMinutes(4));
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Contains("lost its job to another attempt", worker.Output);
        await cluster.JobReaches(id, "Succeeded");
    }

    /// <summary>docs/scale-out.md's figure: epoch end on a worker to the event in a dashboard's hub client.</summary>
    [DistillLab.Tests.EndToEnd.MeasurementFact]
    public async Task MeasureEpochToHubClientLatencyAcrossProcesses()
    {
        var (http, hubUrl) = await cluster.StartDashboard();
        cluster.StartWorker("worker-a");
        await cluster.WaitForWorkers(http, "worker-a");
        var latencies = new List<double>();
        await using var hub = new HubConnectionBuilder().WithUrl(hubUrl).Build();
        hub.On<JsonElement>("EpochCompleted", e =>
        {
            double ms = (DateTimeOffset.UtcNow - e.GetProperty("at").GetDateTimeOffset()).TotalMilliseconds;
            lock (latencies) latencies.Add(ms);
        });
        await hub.StartAsync();

        string id = await JobsCluster.Submit(http, new { data = "synthetic", imageSize = 48, limit = 100, teacherEpochs = 20, studentEpochs = 20, batchSize = 16 });
        await cluster.WaitFor(http, id, r => r.GetProperty("status").GetString() == "completed", TimeSpan.FromMinutes(5));

        List<double> sorted;
        lock (latencies) sorted = [.. latencies.Order()];
        double At(double q) => sorted[(int)Math.Ceiling(q * sorted.Count) - 1];
        output.WriteLine($"{sorted.Count} epoch events, worker -> dashboard hub client: p50 {At(0.5):F0} ms, p95 {At(0.95):F0} ms, max {sorted[^1]:F0} ms");
        Assert.Equal(60, sorted.Count);
    }

    public void Dispose() => cluster.Dispose();
}
