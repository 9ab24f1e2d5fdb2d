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
        var health = PageHealth.Watch(dashboard);
        var workersTab = await browser.OpenAsync(new Uri(http.BaseAddress!, "/workers"));
        health.Follow(workersTab, "workers tab");
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
        var studiesTab = await browser.OpenAsync(new Uri(http.BaseAddress!, $"/studies?id={id}"));
        health.Follow(studiesTab, "studies tab");
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
        health.AssertHealthy();
    }

    public void Dispose() => cluster.Dispose();
}
