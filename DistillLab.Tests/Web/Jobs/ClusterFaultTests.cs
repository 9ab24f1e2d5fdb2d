using System.Net.Http.Json;
using System.Text.Json;
using DistillLab.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace DistillLab.Tests.Web.Jobs;

/// <summary>Faults the postgres engine survives (issue 11), with real processes on the throwaway cluster: processes
/// starting together on an empty database, PostgreSQL restarted mid-run, the dashboard killed mid-run.</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class ClusterFaultTests(PostgresServer server, ITestOutputHelper output) : IDisposable
{
    private readonly JobsCluster cluster = new(server, output);

    // Twelve teacher epochs: long enough to act after the first and still see several after it.
    private static readonly object LongerRun = new { data = "synthetic", imageSize = 48, limit = 600, teacherEpochs = 12, studentEpochs = 1 };
    private static readonly string[] AllEpochs = [.. Enumerable.Range(1, 12).Select(e => $"teacher:{e}"), "studentScratch:1", "studentDistilled:1"];

    [Fact]
    public async Task ADashboardAndTwoWorkersStartedTogetherOnAnEmptyDatabaseAllComeUp()
    {
        var (_, http, _) = cluster.LaunchDashboard();
        cluster.StartWorker("worker-a");
        cluster.StartWorker("worker-b");

        await cluster.Answering(http);
        await cluster.WaitForWorkers(http, "worker-a", "worker-b");
        Assert.True((await http.GetAsync("/api/runs")).IsSuccessStatusCode);
        Assert.DoesNotContain("42P07", cluster.AllOutput());
        Assert.Equal(2, cluster.Query<long>("SELECT COUNT(*) FROM \"__EFMigrationsHistory\""));
    }

    [Fact]
    public async Task PostgresRestartedMidRunTheWorkerAndDashboardReconnectAndTheRunCompletesWithEachEpochOnce()
    {
        var (http, hubUrl) = await cluster.StartDashboard();
        cluster.StartWorker("worker-a");
        await cluster.WaitForWorkers(http, "worker-a");
        await using var hub = await EpochEvents.Connect(hubUrl);
        string id = await JobsCluster.Submit(http, LongerRun);
        await cluster.WaitFor(http, id, r => JobsCluster.TeacherEpochs(r) >= 1, TimeSpan.FromMinutes(2));

        server.Restart(immediate: true);
        var restartedAt = DateTimeOffset.UtcNow;
        var run = await cluster.WaitFor(http, id, r => r.GetProperty("status").GetString() == "completed", TimeSpan.FromMinutes(5));

        Assert.Equal("worker-a", run.GetProperty("worker").GetString());
        Assert.Equal(AllEpochs, StoredEpochs(id));
        await cluster.JobReaches(id, "Succeeded");
        var received = hub.Of(id);
        output.WriteLine($"hub client: {received.Count} of {AllEpochs.Length} epoch events, {received.Count(e => e.At > restartedAt)} after the restart: {string.Join(", ", received.Select(e => e.Key))}");
        Assert.Equal(received.Select(e => e.Key).Distinct(), received.Select(e => e.Key));
        Assert.Contains(received, e => e.At > restartedAt);
        Assert.Equal("studentDistilled:1", received[^1].Key);
    }

    [Fact]
    public async Task ADashboardKilledMidRunComesBackShowingTheRunLiveAndNothingIsLost()
    {
        int port = AppProcess.FreePort();
        var (first, http, hubUrl) = cluster.LaunchDashboard(port: port);
        await cluster.Answering(http);
        cluster.StartWorker("worker-a");
        await cluster.WaitForWorkers(http, "worker-a");
        string id = await JobsCluster.Submit(http, LongerRun);
        await cluster.WaitFor(http, id, r => JobsCluster.TeacherEpochs(r) >= 1, TimeSpan.FromMinutes(2));

        cluster.Stopping(first).KillHard();
        var (_, again, _) = cluster.LaunchDashboard(port: port); // same name: the same data folder and settings
        await cluster.Answering(again);
        await using var hub = await EpochEvents.Connect(hubUrl);
        var shown = await again.GetFromJsonAsync<JsonElement>($"/api/runs/{id}");
        output.WriteLine($"restarted dashboard: run {shown.GetProperty("status").GetString()}, {JobsCluster.TeacherEpochs(shown)} teacher epoch(s)");
        Assert.Equal("running", shown.GetProperty("status").GetString());
        Assert.InRange(JobsCluster.TeacherEpochs(shown), 1, 11);
        var run = await cluster.WaitFor(again, id, r => r.GetProperty("status").GetString() == "completed", TimeSpan.FromMinutes(5));

        Assert.Equal(AllEpochs, StoredEpochs(id));
        Assert.Equal(12, JobsCluster.TeacherEpochs(run));
        var received = hub.Of(id).Select(e => e.Key).ToList();
        output.WriteLine($"hub client of the restarted dashboard: {string.Join(", ", received)}");
        // Live again: every epoch after the ones it showed on its first answer, each once, in order.
        Assert.Equal(AllEpochs.Skip(AllEpochs.Length - received.Count), received);
        Assert.All(AllEpochs.Skip(JobsCluster.TeacherEpochs(shown)), e => Assert.Contains(e, received));
    }

    /// <summary>docs/scale-out.md ("PostgreSQL down for more than a minute"): a worker's job fetch is renewed every 12 s
    /// and counts as abandoned after a minute, so an outage longer than that lets a second worker take a job the first
    /// still trains. What the store then holds is printed; the epoch and run rows are checked.</summary>
    [DistillLab.Tests.EndToEnd.MeasurementFact]
    public async Task MeasureAJobTakenTwiceAfterAnOutageOfMoreThanAMinute()
    {
        var (http, _) = await cluster.StartDashboard();
        cluster.StartWorker("worker-a");
        await cluster.WaitForWorkers(http, "worker-a");
        string id = await JobsCluster.Submit(http, new { data = "synthetic", imageSize = 48, limit = 600, teacherEpochs = 120, studentEpochs = 1 }); // still training when the server returns
        await cluster.WaitFor(http, id, r => JobsCluster.TeacherEpochs(r) >= 1, TimeSpan.FromMinutes(2));
        cluster.StartWorker("worker-b");
        await cluster.WaitForWorkers(http, "worker-a", "worker-b");

        server.Stop(immediate: true);
        await Task.Delay(TimeSpan.FromSeconds(75));
        server.Start();
        var run = await cluster.WaitFor(http, id, r => r.GetProperty("status").GetString() == "completed", TimeSpan.FromMinutes(10));
        // The other worker, if it trains the run too, finishes later.
        await cluster.Until(async () => (await http.GetFromJsonAsync<JsonElement[]>("/api/workers"))!.All(w => w.GetProperty("state").GetString() == "idle"),
            TimeSpan.FromMinutes(6), "every worker idle");

        run = await http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}");
        string starts = string.Join(", ", new[] { "worker-a", "worker-b" }.Select(w =>
            $"{w}: {cluster.AllOutput().Split('\n').Count(l => l.Contains($"Run {id} starts on worker {w}"))}"));
        long processing = cluster.Query<long>("SELECT COUNT(*) FROM hangfire.state s JOIN hangfire.job j ON j.id = s.jobid WHERE j.arguments::text LIKE @id AND s.name = 'Processing'", ("id", $"%{id}%"));
        output.WriteLine($"final: {run.GetProperty("status").GetString()} by {run.GetProperty("worker").GetString()}; starts {starts}; " +
                         $"Processing states {processing}; job {cluster.JobState(id)}; epochs stored {StoredEpochs(id).Count} (expected 122)");
        Assert.Equal([.. Enumerable.Range(1, 120).Select(e => $"teacher:{e}"), "studentScratch:1", "studentDistilled:1"], StoredEpochs(id));
        Assert.Equal(1L, cluster.Query<long>("SELECT COUNT(*) FROM runs WHERE id = @id", ("id", id)));
    }

    // Straight from the epochs table: one row per model and epoch, in training order, named as the hub names them.
    private List<string> StoredEpochs(string id)
    {
        string rows = cluster.Query<string>(
            "SELECT string_agg(model || ':' || epoch, ',' ORDER BY CASE model WHEN 'Teacher' THEN 0 WHEN 'StudentScratch' THEN 1 ELSE 2 END, epoch) FROM epochs WHERE run_id = @id",
            ("id", id)) ?? "";
        return [.. rows.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => char.ToLowerInvariant(r[0]) + r[1..])];
    }

    public void Dispose() => cluster.Dispose();

    /// <summary>A SignalR client of a dashboard that keeps every EpochCompleted it gets, with when it got it.</summary>
    private sealed class EpochEvents : IAsyncDisposable
    {
        private readonly HubConnection hub;
        private readonly List<(string RunId, string Key, DateTimeOffset At)> events = [];

        private EpochEvents(string url)
        {
            hub = new HubConnectionBuilder().WithUrl(url).Build();
            hub.On<JsonElement>("EpochCompleted", e =>
            {
                string key = $"{e.GetProperty("model").GetString()}:{e.GetProperty("metrics").GetProperty("epoch").GetInt32()}";
                lock (events) events.Add((e.GetProperty("runId").GetString()!, key, DateTimeOffset.UtcNow));
            });
        }

        public static async Task<EpochEvents> Connect(string url)
        {
            var client = new EpochEvents(url);
            await client.hub.StartAsync();
            return client;
        }

        public List<(string Key, DateTimeOffset At)> Of(string runId)
        {
            lock (events) return [.. events.Where(e => e.RunId == runId).Select(e => (e.Key, e.At))];
        }

        public ValueTask DisposeAsync() => hub.DisposeAsync();
    }
}
