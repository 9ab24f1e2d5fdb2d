using System.Net.Http.Json;
using System.Text.Json;
using DistillLab.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace DistillLab.Tests.Web.Jobs;

/// <summary>Faults a study on the postgres job engine survives (issue 11), with real processes: a worker stopped with
/// SIGTERM mid-trial, the dashboard killed mid-study, PostgreSQL restarted mid-study.</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class StudyFaultTests(PostgresServer server, ITestOutputHelper output) : IDisposable
{
    private readonly JobsCluster cluster = new(server, output);

    private static readonly object Study = new
    {
        data = "synthetic", imageSize = 48, limit = 600, teacherEpochs = 1, studentEpochs = 4, batchSize = 16,
        alpha = new[] { 0.1, 0.5 }, temperature = new[] { 2.0, 5.0 }, seeds = 2,
    };

    [Fact]
    public async Task AWorkerStoppedWithSigtermMidTrialHandsItsJobBackAndAnotherWorkerCompletesTheStudy()
    {
        var (http, _) = await cluster.StartDashboard();
        var first = cluster.StartWorker("worker-stopped");
        await cluster.WaitForWorkers(http, "worker-stopped");
        string id = await JobsCluster.SubmitStudy(http, Study);
        await cluster.Until(() => Task.FromResult(first.Output.Contains("starts on worker worker-stopped") && first.Output.Contains("trial α=")),
            TimeSpan.FromMinutes(3), "worker-stopped to start a trial");

        cluster.Stopping(first).Terminate();
        Assert.True(first.WaitForExit(TimeSpan.FromSeconds(60)), "the worker did not stop within 60 s of SIGTERM");
        Assert.Contains("is handed back: worker worker-stopped stops", first.Output);
        Assert.Equal(0, Jobs(id, "Processing"));
        Assert.Equal(0, Jobs(id, "Failed"));
        Assert.True(Jobs(id, "Enqueued") >= 1, "the handed-back job is queued again");
        Assert.Equal("running", (await http.GetFromJsonAsync<JsonElement>($"/api/studies/{id}")).GetProperty("status").GetString());

        cluster.StartWorker("worker-b");
        var study = await cluster.WaitForStudy(http, id, TimeSpan.FromMinutes(6));
        AssertEachTrialOnce(study);
    }

    [Fact]
    public async Task ADashboardKilledMidStudyComesBackShowingItLiveWhileTheWorkersGoOn()
    {
        int port = AppProcess.FreePort();
        var (dashboard, http, hubUrl) = cluster.LaunchDashboard(port: port);
        await cluster.Answering(http);
        cluster.StartWorker("worker-a");
        cluster.StartWorker("worker-b");
        await cluster.WaitForWorkers(http, "worker-a", "worker-b");
        string id = await JobsCluster.SubmitStudy(http, Study);
        await cluster.Until(async () => (await Get(http, id)).GetProperty("trials").GetArrayLength() >= 1, TimeSpan.FromMinutes(3), "a first trial");

        cluster.Stopping(dashboard).KillHard();
        var (again, againHttp, _) = cluster.LaunchDashboard(port: port); // the same data folder and settings
        await cluster.Answering(againHttp);
        var completed = new List<string>();
        await using var hub = new HubConnectionBuilder().WithUrl(hubUrl).Build();
        hub.On<JsonElement>("TrialCompleted", e => { lock (completed) completed.Add(e.GetProperty("studyId").GetString()!); });
        await hub.StartAsync();
        var shown = await Get(againHttp, id);
        int before = shown.GetProperty("trials").GetArrayLength();
        output.WriteLine($"restarted dashboard: study {shown.GetProperty("status").GetString()} with {before} of 8 trials");
        Assert.Equal("running", shown.GetProperty("status").GetString());

        var study = await cluster.WaitForStudy(againHttp, id, TimeSpan.FromMinutes(6));
        AssertEachTrialOnce(study);
        // Live again: the trials that ended after its first answer reached its hub client.
        lock (completed) Assert.True(completed.Count(s => s == id) >= 8 - before, $"{completed.Count} TrialCompleted events after the restart, {before} trials before it");
        // It left the study to the workers: no resume of its own.
        Assert.DoesNotContain("queued again", again.Output);
    }

    [Fact]
    public async Task PostgresRestartedMidStudyEveryoneReconnectsAndTheStudyCompletesWithEachTrialOnce()
    {
        var (http, _) = await cluster.StartDashboard();
        cluster.StartWorker("worker-a", hangfireWarnings: true);
        cluster.StartWorker("worker-b", hangfireWarnings: true);
        await cluster.WaitForWorkers(http, "worker-a", "worker-b");
        string id = await JobsCluster.SubmitStudy(http, Study);
        await cluster.Until(async () => (await Get(http, id)).GetProperty("trials").GetArrayLength() >= 1, TimeSpan.FromMinutes(3), "a first trial");

        server.Restart(immediate: true);
        JsonElement study;
        try { study = await cluster.WaitForStudy(http, id, TimeSpan.FromMinutes(4)); }
        catch
        {
            // What Hangfire holds of the study's jobs, for whoever reads the failure.
            using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(cluster.Database) { Pooling = false }.ToString());
            connection.Open();
            using var query = new Npgsql.NpgsqlCommand("SELECT j.id, j.statename, j.arguments::text, q.fetchedat FROM hangfire.job j LEFT JOIN hangfire.jobqueue q ON q.jobid = j.id ORDER BY j.id", connection);
            using var reader = query.ExecuteReader();
            while (reader.Read()) output.WriteLine($"job {reader.GetValue(0)} {reader.GetValue(1)} {reader.GetValue(2)} fetched {reader.GetValue(3)}");
            throw;
        }

        AssertEachTrialOnce(study);
        Assert.Equal(0, Jobs(id, "Failed"));
        Assert.Equal(1, cluster.Query<long>("SELECT count(*) FROM hangfire.job WHERE arguments::text LIKE @id AND invocationdata::text LIKE '%Confirm%'", ("id", $"%{id}%")));
    }

    /// <summary>Not a fault, but the same machinery: a cancel withdraws every job of the study; the running trial stops
    /// within seconds and nothing more is trained or stored.</summary>
    [Fact]
    public async Task ACancelledStudyStopsItsRunningTrialAndNoJobIsLeftToRun()
    {
        var (http, _) = await cluster.StartDashboard();
        var worker = cluster.StartWorker("worker-a");
        await cluster.WaitForWorkers(http, "worker-a");
        string id = await JobsCluster.SubmitStudy(http, Study);
        await cluster.Until(() => Task.FromResult(worker.Output.Contains("trial α=")), TimeSpan.FromMinutes(3), "a trial to start");

        var response = await http.PostAsync($"/api/studies/{id}/cancel", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        await cluster.Until(() => Task.FromResult(worker.Output.Contains($"Study {id} ended while worker worker-a trained")),
            TimeSpan.FromSeconds(30), "the running trial to stop");
        var study = await Get(http, id);
        int stored = study.GetProperty("trials").GetArrayLength();
        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.Equal("cancelled", (await Get(http, id)).GetProperty("status").GetString());
        Assert.Equal(stored, (await Get(http, id)).GetProperty("trials").GetArrayLength());
        Assert.InRange(stored, 0, 7);
        foreach (string state in new[] { "Enqueued", "Processing", "Awaiting", "Scheduled" }) Assert.Equal(0, Jobs(id, state));
    }

    private static async Task<JsonElement> Get(HttpClient http, string id) => await http.GetFromJsonAsync<JsonElement>($"/api/studies/{id}");

    private long Jobs(string studyId, string state) =>
        cluster.Query<long>("SELECT count(*) FROM hangfire.job WHERE arguments::text LIKE @id AND statename = @state", ("id", $"%{studyId}%"), ("state", state));

    /// <summary>8 trials, each setting and seed once, each completed by a named worker; the best confirmed.</summary>
    private static void AssertEachTrialOnce(JsonElement study)
    {
        var trials = study.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(8, trials.Count);
        Assert.Equal(8, trials.Select(t => $"{t.GetProperty("alpha")}|{t.GetProperty("temperature")}|{t.GetProperty("seed")}").Distinct().Count());
        Assert.All(trials, t => Assert.Equal("completed", t.GetProperty("status").GetString()));
        Assert.All(trials, t => Assert.StartsWith("worker-", t.GetProperty("worker").GetString()));
        Assert.NotNull(study.GetProperty("best").GetProperty("verdict").GetString());
    }

    public void Dispose() => cluster.Dispose();
}
