using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace DistillLab.Tests.Support;

/// <summary>The postgres job engine as separate processes on one fresh database of the throwaway cluster: dashboards
/// that train nothing (Jobs:Workers=0) and workers, each with its own data folder, sharing only PostgreSQL.
/// Torch:Threads=1 each: two trainings on two cores with libtorch's default threads slow each other tenfold. Waits fail
/// with every process's output, and as soon as a process exits that the test did not stop.</summary>
public sealed class JobsCluster(PostgresServer server, ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly List<AppProcess> processes = [];
    private readonly HashSet<AppProcess> stoppedOnPurpose = [];

    public string Database { get; } = server.CreateDatabase("jobs");

    public string Folder(string name) => folder.Sub(name);

    /// <summary>Starts a dashboard without waiting for it; <paramref name="dataFolder"/> and <paramref name="port"/>
    /// given again start the same dashboard anew.</summary>
    public (AppProcess Process, HttpClient Http, string HubUrl) LaunchDashboard(string name = "dashboard", int? port = null, string? extraRoot = null)
    {
        int at = port ?? AppProcess.FreePort();
        var settings = Settings(folder.Sub(name));
        if (extraRoot is not null) settings["Data:Roots:1"] = extraRoot;
        settings["Jobs:Workers"] = "0";
        var dashboard = Add(new AppProcess(name, ["--urls", $"http://127.0.0.1:{at}"], settings));
        return (dashboard, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{at}") }, $"http://127.0.0.1:{at}/hubs/training");
    }

    public async Task<(HttpClient Http, string HubUrl)> StartDashboard(string? extraRoot = null)
    {
        var (_, http, hubUrl) = LaunchDashboard(extraRoot: extraRoot);
        await Answering(http);
        return (http, hubUrl);
    }

    public Task Answering(HttpClient http) => Until(async () =>
    {
        try { return (await http.GetAsync("/healthz")).IsSuccessStatusCode; }
        catch (HttpRequestException) { return false; }
    }, TimeSpan.FromSeconds(90), $"the dashboard at {http.BaseAddress} to answer");

    /// <param name="slots">Jobs:Workers, the jobs it trains at once.</param>
    /// <param name="hangfireWarnings">Let Hangfire's own warnings through (silenced by default): a job Hangfire fails or
    /// retries outside our code then says why in the worker's output.</param>
    public AppProcess StartWorker(string name, int slots = 1, bool hangfireWarnings = false)
    {
        var settings = Settings(folder.Sub(name));
        settings["Jobs:WorkerName"] = name;
        settings["Jobs:Workers"] = slots.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (hangfireWarnings) settings["Logging:LogLevel:Hangfire"] = "Warning";
        return Add(new AppProcess(name, ["worker"], settings));
    }

    /// <summary>Marks a process the test is about to kill or stop, so that its exit fails no wait.</summary>
    public AppProcess Stopping(AppProcess process)
    {
        lock (stoppedOnPurpose) stoppedOnPurpose.Add(process);
        return process;
    }

    public Task WaitForWorkers(HttpClient http, params string[] names) => Until(async () =>
    {
        var workers = await http.GetFromJsonAsync<JsonElement[]>("/api/workers");
        return names.All(n => workers!.Any(w => w.GetProperty("name").GetString() == n));
    }, TimeSpan.FromSeconds(90), $"workers {string.Join(", ", names)} in /api/workers");

    public static Task<string> Submit(HttpClient http, object body) => Post(http, "/api/runs", body);

    /// <summary>Posts a run or a study; it must be accepted (202). Returns its id.</summary>
    private static async Task<string> Post(HttpClient http, string path, object body)
    {
        var response = await http.PostAsJsonAsync(path, body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Polls GET /api/runs/{id} until <paramref name="done"/>; a failed run fails the test at once.</summary>
    public async Task<JsonElement> WaitFor(HttpClient http, string id, Func<JsonElement, bool> done, TimeSpan timeout)
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

    public static Task<string> SubmitStudy(HttpClient http, object body) => Post(http, "/api/studies", body);

    /// <summary>Polls GET /api/studies/{id} until it completed; a failed or cancelled study fails the test at once.</summary>
    public async Task<JsonElement> WaitForStudy(HttpClient http, string id, TimeSpan timeout)
    {
        JsonElement study = default;
        await Until(async () =>
        {
            study = await http.GetFromJsonAsync<JsonElement>($"/api/studies/{id}");
            string status = study.GetProperty("status").GetString()!;
            // The error first: CI shows only the start of a long line.
            Assert.True(status is "queued" or "running" or "completed",
                $"study {id} is {status}: {(study.TryGetProperty("error", out var error) ? error.GetString() : "")}\n{study}\n{AllOutput()}");
            return status == "completed";
        }, timeout, $"study {id} to complete");
        return study;
    }

    public static int TeacherEpochs(JsonElement run) =>
        run.TryGetProperty("teacher", out var t) ? t.GetProperty("history").GetArrayLength() : 0;

    public async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            AppProcess? exited;
            lock (stoppedOnPurpose) exited = processes.FirstOrDefault(p => p.HasExited && !stoppedOnPurpose.Contains(p));
            if (exited is not null) Assert.Fail($"{exited.Name} exited while waiting for {what}:\n{exited.Output}");
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for {what}.\n" + AllOutput());
            await Task.Delay(250);
        }
    }

    public string AllOutput() => string.Join("\n", processes.Select(p => $"--- {p.Name}\n{p.Output}"));

    /// <summary>The run's Hangfire job state, found by its argument (the run id).</summary>
    public string? JobState(string runId) => Query<string>("SELECT statename FROM hangfire.job WHERE arguments::text LIKE @id", ("id", $"%{runId}%"));

    /// <summary>Waits (10 s at most) for the run's job to reach <paramref name="state"/>: the worker stores the run's end
    /// before its job method returns, so a run can read completed a moment before Hangfire marks the job Succeeded
    /// (the SIGTERM test read "Processing" once in a full Postgres run).</summary>
    public Task JobReaches(string runId, string state) =>
        Until(() => Task.FromResult(JobState(runId) == state), TimeSpan.FromSeconds(10), $"the job of run {runId} to be {state} (it is {JobState(runId)})");

    /// <summary>One value from the database (unpooled: the tests restart the server).</summary>
    public T? Query<T>(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Database) { Pooling = false }.ToString());
        connection.Open();
        using var query = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) query.Parameters.AddWithValue(name, value);
        return query.ExecuteScalar() is T result ? result : default;
    }

    private Dictionary<string, string> Settings(string dataFolder) => new()
    {
        ["Jobs:Engine"] = "postgres", ["ConnectionStrings:DistillLab"] = Database, ["Torch:Threads"] = "1",
        ["Data:Directory"] = dataFolder, ["Data:Roots:0"] = dataFolder,
    };

    private AppProcess Add(AppProcess process)
    {
        lock (stoppedOnPurpose) processes.Add(process);
        return process;
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
