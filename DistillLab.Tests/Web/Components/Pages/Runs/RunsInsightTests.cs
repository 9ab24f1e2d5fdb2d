using Bunit;
using DistillLab.Core.Experiments;
using DistillLab.Tests.Web.Components.Pages.Lab;
using DistillLab.Web.Runs;
using MudBlazor;
using RunsPage = DistillLab.Web.Components.Pages.Runs.Runs;
using static DistillLab.Tests.Support.CompareRuns;

using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Components.Pages.Runs;

/// <summary>The Runs page's insight columns (switched on) and each finished run's model downloads.</summary>
public sealed class RunsInsightTests
{
    private static ComponentTestContext WithRuns()
    {
        var ctx = new ComponentTestContext();
        Save(ctx.Store, Run("run-a", new LabConfig(), (1.0, 0.5, 0.75)) with { CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-3), Insight = InsightLogits.Insight() });
        Save(ctx.Store, Run("run-b", new LabConfig(), (1.0, 0.5, 0.5)) with { CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-2), Insight = InsightLogits.Insight(followsTeacher: false) });
        Save(ctx.Store, Run("run-old", new LabConfig(), (0.9, 0.8, 0.8)) with { CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        return ctx;
    }

    private static List<string> Column(IRenderedComponent<RunsPage> page, string label) =>
        page.FindAll($"td[data-label='{label}']").Select(td => td.TextContent.Trim()).ToList();

    [Fact]
    public async Task SwitchedOnTheStudentsFiguresAreColumnsThatSortAndOldRunsShowADash()
    {
        await using var ctx = WithRuns();
        var page = ctx.Render<RunsPage>();
        Assert.Empty(Column(page, "Agreement (distilled / scratch)"));

        page.Find(".mud-switch input").Change(true);
        // Each cell: the distilled student's figure over the scratch student's; newest run first.
        Assert.Equal(["——", "50.0 %50.0 %", "75.0 %50.0 %"], Column(page, "Agreement (distilled / scratch)"));
        Assert.Equal(["—", "50.0 %", "75.0 %"], page.FindAll("td[data-label='Agreement (distilled / scratch)'] b").Select(b => b.TextContent).ToList());
        foreach (var label in new[] { "KL (distilled / scratch)", "ECE (distilled / scratch)", "NLL (distilled / scratch)" })
            Assert.Equal(3, Column(page, label).Count);

        page.FindAll("th").Single(th => th.TextContent.Contains("Agreement")).QuerySelector(".mud-table-sort-label")!.Click();
        Assert.Equal(["run-old", "run-b", "run-a"], page.FindAll("td[data-label=Run]").Select(td => td.TextContent.Trim()).ToList());
        page.FindAll("th").Single(th => th.TextContent.Contains("Agreement")).QuerySelector(".mud-table-sort-label")!.Click();
        Assert.Equal(["run-a", "run-b", "run-old"], page.FindAll("td[data-label=Run]").Select(td => td.TextContent.Trim()).ToList());
    }

    [Fact]
    public async Task AFinishedRunOffersEachModelAsOnnxAndSafetensors()
    {
        await using var ctx = WithRuns();
        var popovers = ctx.Render<MudPopoverProvider>();
        var page = ctx.Render<RunsPage>();
        page.Find("button[aria-label='Download the models of run run-a']").Click();
        var links = popovers.WaitForElements("a[href*='/models/']").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(
        [
            "/api/runs/run-a/models/teacher.onnx", "/api/runs/run-a/models/teacher.safetensors",
            "/api/runs/run-a/models/studentScratch.onnx", "/api/runs/run-a/models/studentScratch.safetensors",
            "/api/runs/run-a/models/studentDistilled.onnx", "/api/runs/run-a/models/studentDistilled.safetensors",
        ], links);
    }

    [Fact]
    public async Task ARunStillTrainingHasNoModelsToDownload()
    {
        await using var ctx = WithRuns();
        var running = ((RunRequests)ctx.Services.GetService(typeof(RunRequests))!).Submit(new RunRequest(new LabConfig())).Run!;
        var page = ctx.Render<RunsPage>();
        Assert.NotNull(page.Find($"button[aria-label='Download the models of run {running.Id}']").GetAttribute("disabled"));
        Assert.Null(page.Find("button[aria-label='Download the models of run run-a']").GetAttribute("disabled"));
    }
}
