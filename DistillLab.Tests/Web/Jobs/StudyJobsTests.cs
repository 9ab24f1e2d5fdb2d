using System.Text.Json;
using System.Text.RegularExpressions;
using DistillLab.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace DistillLab.Tests.Web.Jobs;

/// <summary>Studies on the postgres job engine as separate processes (<see cref="JobsCluster"/>): a dashboard that
/// trains nothing and two workers; per seed a teacher job, then its baseline and trial jobs, then one confirm job.</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed partial class StudyJobsTests(PostgresServer server, ITestOutputHelper output) : IDisposable
{
    private readonly JobsCluster cluster = new(server, output);

    /// <summary>Built-in set, 48 px, a few hundred images, 2 seeds × 2 α × 2 T = 8 trials.</summary>
    private static object SmallStudy(int studentEpochs = 2, int seeds = 2, int teacherEpochs = 1, int limit = 300, string pruning = "none") => new
    {
        data = "synthetic", imageSize = 48, limit, teacherEpochs, studentEpochs, batchSize = 16,
        alpha = new[] { 0.1, 0.5 }, temperature = new[] { 2.0, 5.0 }, seeds, pruning,
    };

    [Fact]
    public async Task AStudyRunsAsJobsAcrossTwoWorkersAndEachTrialIsStoredOnceWithItsWorker()
    {
        var (http, hubUrl) = await cluster.StartDashboard();
        cluster.StartWorker("worker-a");
        cluster.StartWorker("worker-b");
        await cluster.WaitForWorkers(http, "worker-a", "worker-b");
        var completed = new List<JsonElement>();
        await using var hub = new HubConnectionBuilder().WithUrl(hubUrl).Build();
        hub.On<JsonElement>("TrialCompleted", e => { lock (completed) completed.Add(e); });
        await hub.StartAsync();

        string id = await JobsCluster.SubmitStudy(http, SmallStudy());
        var study = await cluster.WaitForStudy(http, id, TimeSpan.FromMinutes(6));

        var trials = study.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(8, trials.Count);
        Assert.Equal(8, trials.Select(Key).Distinct().Count());
        Assert.All(trials, t => Assert.Equal("completed", t.GetProperty("status").GetString()));
        // Both workers trained trials (two seeds' teachers start at once, one on each), and each trial names its worker.
        Assert.Equal(["worker-a", "worker-b"], trials.Select(t => t.GetProperty("worker").GetString()).Distinct().Order());
        Assert.Equal([false, false], study.GetProperty("teachers").EnumerateArray().Select(t => t.GetProperty("reused").GetBoolean()));
        Assert.Equal(2, study.GetProperty("baseline").GetArrayLength());
        Assert.Equal(2, study.GetProperty("best").GetProperty("test").GetProperty("distilled").GetArrayLength());
        // The dashboard's hub client saw every trial end live, once each.
        await cluster.Until(() => Task.FromResult(Mine(completed, id).Count >= 8), TimeSpan.FromSeconds(10), "8 TrialCompleted events");
        Assert.Equal(trials.Select(Key).Order(), Mine(completed, id).Select(e => Key(e.GetProperty("trial"))).Order());
        Assert.Equal(1, cluster.Query<long>("SELECT count(*) FROM hangfire.job WHERE arguments::text LIKE @id AND invocationdata::text LIKE '%Confirm%'", ("id", $"%{id}%")));
    }

    /// <summary>Two studies of the same base settings started at once on two idle workers that take two jobs each: the
    /// four teacher jobs (two seeds per study) start together, so each seed's teacher is wanted twice at the same moment.
    /// Per seed one job trains it; the other waits for its claim and loads it.</summary>
    [Fact]
    public async Task TwoWorkersRacingForTheSameTeacherTrainItOnce()
    {
        var (http, _) = await cluster.StartDashboard();
        var workers = new[] { cluster.StartWorker("worker-a", slots: 2), cluster.StartWorker("worker-b", slots: 2) };
        await cluster.WaitForWorkers(http, "worker-a", "worker-b");

        var body = SmallStudy(studentEpochs: 1, teacherEpochs: 4);
        string first = await JobsCluster.SubmitStudy(http, body), second = await JobsCluster.SubmitStudy(http, body);
        var studies = new[] { await cluster.WaitForStudy(http, first, TimeSpan.FromMinutes(6)), await cluster.WaitForStudy(http, second, TimeSpan.FromMinutes(6)) };

        foreach (int seed in new[] { 42, 43 })
        {
            var teachers = studies.Select(s => s.GetProperty("teachers").EnumerateArray().Single(t => t.GetProperty("seed").GetInt32() == seed)).ToList();
            var trained = Assert.Single(teachers, t => !t.GetProperty("reused").GetBoolean());
            var reused = Assert.Single(teachers, t => t.GetProperty("reused").GetBoolean());
            string trainer = studies[teachers.IndexOf(trained)].GetProperty("id").GetString()!;
            Assert.Equal($"{trainer}/seed-{seed}", reused.GetProperty("reusedFrom").GetString());
            Assert.Equal(trained.GetProperty("testAccuracy").GetDouble(), reused.GetProperty("testAccuracy").GetDouble());
        }
        // The race happened: a job waited for another's claim on its teacher (without the claim both would train it).
        string waits = string.Join("\n", workers.SelectMany(w => w.Output.Split('\n')).Where(l => l.Contains("waits for the teacher")));
        output.WriteLine(waits);
        Assert.NotEmpty(waits);
    }

    [Fact]
    public async Task ATrialWhoseWorkerIsKilledIsRunAgainByTheOtherWithinTwoMinutesAndStoredOnce()
    {
        var (http, _) = await cluster.StartDashboard();
        var workers = new[] { cluster.StartWorker("worker-a"), cluster.StartWorker("worker-b") };
        await cluster.WaitForWorkers(http, "worker-a", "worker-b");
        string id = await JobsCluster.SubmitStudy(http, SmallStudy(studentEpochs: 6, limit: 600));

        // The first worker seen training a trial is killed a moment into it.
        string? trial = null;
        AppProcess? victim = null;
        await cluster.Until(() =>
        {
            victim = workers.FirstOrDefault(w => TrialStart().IsMatch(w.Output));
            if (victim is not null) trial = TrialStart().Match(victim.Output).Groups[1].Value;
            return Task.FromResult(victim is not null);
        }, TimeSpan.FromMinutes(3), "a worker to start a trial");
        await Task.Delay(TimeSpan.FromSeconds(2));
        cluster.Stopping(victim!).KillHard();
        var killedAt = DateTime.UtcNow;
        Assert.DoesNotContain($"trial {trial} stored", victim!.Output); // killed mid-trial
        var other = workers.Single(w => w != victim);

        await cluster.Until(() => Task.FromResult(other.Output.Contains($"trial {trial} starts on worker {other.Name}")),
            TimeSpan.FromMinutes(2), $"the other worker to start trial {trial} again");
        output.WriteLine($"trial {trial} started again by {other.Name} {(DateTime.UtcNow - killedAt).TotalSeconds:F0} s after the kill");
        var study = await cluster.WaitForStudy(http, id, TimeSpan.FromMinutes(6));

        var trials = study.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(8, trials.Count);
        Assert.Equal(8, trials.Select(Key).Distinct().Count());
        var again = Assert.Single(trials, t => Key(t) == KeyOf(trial!));
        Assert.Equal(other.Name, again.GetProperty("worker").GetString());
        Assert.Equal(6, again.GetProperty("history").GetArrayLength());
        Assert.NotNull(study.GetProperty("best").GetProperty("verdict").GetString());
    }

    /// <summary>Successive halving across two workers (4 student epochs: rungs after 1 and 3): every trial recorded its
    /// value at each rung it reached once, and stopped exactly where the rule, replayed on the stored values in the order
    /// they were stored, says it stops.</summary>
    [Fact]
    public async Task HalvingAcrossWorkersStopsEachTrialWhereTheStoredRungValuesSay()
    {
        var (http, _) = await cluster.StartDashboard();
        cluster.StartWorker("worker-a");
        cluster.StartWorker("worker-b");
        await cluster.WaitForWorkers(http, "worker-a", "worker-b");
        string id = await JobsCluster.SubmitStudy(http, SmallStudy(studentEpochs: 4, pruning: "halving"));
        var study = await cluster.WaitForStudy(http, id, TimeSpan.FromMinutes(6));

        var decided = new Dictionary<(string Setting, int Seed, int Epoch), bool>();
        var atRung = new Dictionary<(int Seed, int Epoch), List<double>>();
        foreach (var (seed, setting, value) in RungRows(id))
        {
            int epoch = int.Parse(setting[(setting.IndexOf('@') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            if (!atRung.TryGetValue((seed, epoch), out var values)) atRung[(seed, epoch)] = values = [];
            values.Add(value);
            Assert.True(decided.TryAdd((setting[..setting.IndexOf('@')], seed, epoch), DistillLab.Core.Studies.HalvingPruner.Decide(values, value)),
                $"rung value recorded twice: {setting}, seed {seed}");
        }
        var trials = study.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(8, trials.Select(Key).Distinct().Count());
        foreach (var t in trials)
        {
            string setting = string.Join('|', Key(t).Split('|')[..2].Select(v => double.Parse(v).ToString("R", System.Globalization.CultureInfo.InvariantCulture))
                .Append(t.GetProperty("scaleByTemperatureSquared").GetBoolean() ? "1" : "0"));
            int seed = t.GetProperty("seed").GetInt32(), epochs = t.GetProperty("epochs").GetInt32();
            var reached = new[] { 1, 3 }.Where(r => r <= epochs).ToList();
            Assert.All(reached, r => Assert.True(decided.ContainsKey((setting, seed, r)), $"no rung {r} value for {setting}, seed {seed}"));
            bool stopped = reached.Count > 0 && !decided[(setting, seed, reached[^1])];
            Assert.Equal(stopped ? "pruned" : "completed", t.GetProperty("status").GetString());
            Assert.Equal(stopped ? reached[^1] : 4, epochs);
        }
        output.WriteLine($"{trials.Count(t => t.GetProperty("status").GetString() == "pruned")} of 8 trials pruned; {decided.Count} rung values");
    }

    /// <summary>The same small study on one worker and on two worker processes of this machine, each on a fresh
    /// database: seconds from submit to completed (a measurement for the reply and docs, not a test).</summary>
    [DistillLab.Tests.EndToEnd.MeasurementFact]
    public async Task MeasureASmallStudyOnOneAndOnTwoWorkers()
    {
        foreach (int count in new[] { 1, 2 })
        {
            using var own = new JobsCluster(server, output);
            var (http, _) = await own.StartDashboard();
            string[] names = [.. Enumerable.Range(1, count).Select(i => $"w{i}")];
            foreach (string name in names) own.StartWorker(name);
            await own.WaitForWorkers(http, names);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            string id = await JobsCluster.SubmitStudy(http, SmallStudy(studentEpochs: 2));
            var study = await own.WaitForStudy(http, id, TimeSpan.FromMinutes(15));
            output.WriteLine($"{count} worker(s): {clock.Elapsed.TotalSeconds:F1} s from submit to completed (study totalSeconds {study.GetProperty("totalSeconds").GetDouble():F1})");
        }
    }

    private IEnumerable<(int Seed, string Setting, double Value)> RungRows(string studyId)
    {
        using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(cluster.Database) { Pooling = false }.ToString());
        connection.Open();
        using var query = new Npgsql.NpgsqlCommand("SELECT seed, setting, entry FROM study_entries WHERE study_id = @id AND kind = 'rung' ORDER BY ordinal", connection);
        query.Parameters.AddWithValue("id", studyId);
        using var reader = query.ExecuteReader();
        var rows = new List<(int, string, double)>();
        while (reader.Read()) rows.Add((reader.GetInt32(0), reader.GetString(1), double.Parse(reader.GetString(2), System.Globalization.CultureInfo.InvariantCulture)));
        return rows;
    }

    private static List<JsonElement> Mine(List<JsonElement> events, string id)
    {
        lock (events) return events.Where(e => e.GetProperty("studyId").GetString() == id).ToList();
    }

    private static string Key(JsonElement t) =>
        $"{t.GetProperty("alpha").GetDouble()}|{t.GetProperty("temperature").GetDouble()}|{t.GetProperty("scaleByTemperatureSquared").GetBoolean()}|{t.GetProperty("seed").GetInt32()}";

    /// <summary>A trial as the workers log it ("α=0.1, T=2, seed 42", ", T² on" when scaled) in <see cref="Key"/>'s form.</summary>
    private static string KeyOf(string logged)
    {
        var m = Regex.Match(logged, @"α=([\d.]+), T=([\d.]+)(, T² on)?, seed (\d+)");
        Assert.True(m.Success, $"unexpected trial in the log: {logged}");
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return $"{double.Parse(m.Groups[1].Value, invariant)}|{double.Parse(m.Groups[2].Value, invariant)}|{m.Groups[3].Success}|{m.Groups[4].Value}";
    }

    [GeneratedRegex(@"trial (.+?) starts on worker")]
    private static partial Regex TrialStart();

    public void Dispose() => cluster.Dispose();
}
