using System.Text.RegularExpressions;
using DistillLab.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DistillLab.Tests.Web.Jobs;

/// <summary>The pages as a user of the postgres engine sees them: a dashboard process that trains nothing, two worker
/// processes, and two browser tabs kept open on the dashboard while a study trains on the workers: the Workers tab
/// shows the workers go from idle to training and back, the Studies tab fills in from events sent by other processes.
/// Fails on any console or page error in either tab and on any Blazor warning in the dashboard's log.</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class ClusterPagesTests(PostgresServer server, ITestOutputHelper output) : IDisposable
{
    private readonly JobsCluster cluster = new(server, output);

    [Fact]
    public async Task TheWorkersAndStudiesTabsFollowAStudyTrainedByTwoWorkerProcesses()
    {
        var (dashboard, http, _) = cluster.LaunchDashboard();
        await cluster.Answering(http);
        cluster.StartWorker("worker-a");
        cluster.StartWorker("worker-b");
        await cluster.WaitForWorkers(http, "worker-a", "worker-b");

        await using var browser = await BrowserSession.StartAsync();
        var errors = new List<string>();
        var workersTab = await Follow(await browser.OpenAsync(new Uri(http.BaseAddress!, "/workers")), "workers tab", errors);
        var workers = workersTab.GetByRole(AriaRole.Table, new() { Name = "Workers" });
        await Expect(workers).ToContainTextAsync("worker-a");
        await Expect(workers).ToContainTextAsync("worker-b");
        await Expect(workers).Not.ToContainTextAsync("training");

        // 2 seeds × 2 α × 2 T: two teachers (3 epochs, so the study is still going when the tab opens), then 10 students.
        string id = await JobsCluster.SubmitStudy(http, new
        {
            data = "synthetic", imageSize = 48, limit = 400, teacherEpochs = 3, studentEpochs = 3, batchSize = 16,
            alpha = new[] { 0.1, 0.5 }, temperature = new[] { 2.0, 5.0 }, seeds = 2,
        });
        var studiesTab = await Follow(await browser.OpenAsync(new Uri(http.BaseAddress!, $"/studies?id={id}")), "studies tab", errors);
        var done = studiesTab.GetByLabel("Trials done");
        await Expect(done).ToHaveTextAsync(new Regex("^[0-7] of 8 trials done$"));

        // Heartbeats and job states come from the workers through PostgreSQL; the tab refreshes itself.
        await Expect(workers).ToContainTextAsync("training", new() { Timeout = 120_000 });
        // Each training worker says which part of the study it is on.
        await Expect(workers).ToContainTextAsync(new Regex($"{id}: (teacher of seed|baseline of seed|trial α=)"));
        await BrowserSession.ScreenshotAsync(workersTab, "cluster-workers-training");

        // Every trial's event reaches this tab from a worker, without a reload, and the confirm step's verdict too.
        await Expect(done).ToHaveTextAsync("8 of 8 trials done", new() { Timeout = 300_000 });
        await Expect(studiesTab.GetByRole(AriaRole.Region, new() { Name = "Verdict" })).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Expect(studiesTab.GetByLabel("Study status")).ToHaveTextAsync("completed");
        await BrowserSession.ScreenshotAsync(studiesTab, "cluster-study-completed");
        await Expect(workers).Not.ToContainTextAsync("training", new() { Timeout = 60_000 });

        var study = await cluster.WaitForStudy(http, id, TimeSpan.FromSeconds(30));
        Assert.Equal(8, study.GetProperty("trials").GetArrayLength());
        lock (errors) Assert.True(errors.Count == 0, string.Join("\n", errors));
        // The console logger writes "warn:" / "fail:" and the category on one line.
        var blazorProblems = dashboard.Output.Split('\n')
            .Where(line => (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
                           && (line.Contains("Microsoft.AspNetCore.Components", StringComparison.Ordinal) || line.Contains("DistillLab.Web.Components", StringComparison.Ordinal)))
            .ToList();
        Assert.True(blazorProblems.Count == 0, "The dashboard logged:\n" + string.Join("\n", blazorProblems));
    }

    private static Task<IPage> Follow(IPage page, string name, List<string> errors)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (errors) errors.Add($"{name} console: {message.Text}");
        };
        page.PageError += (_, error) => { lock (errors) errors.Add($"{name} page error: {error}"); };
        return Task.FromResult(page);
    }

    public void Dispose() => cluster.Dispose();
}
