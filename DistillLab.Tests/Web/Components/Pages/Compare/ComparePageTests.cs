using Bunit;
using DistillLab.Core.Experiments;
using DistillLab.Web.Components.Pages.Compare;
using ComparePage = DistillLab.Web.Components.Pages.Compare.Compare;
using DistillLab.Web.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static DistillLab.Tests.Support.CompareRuns;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Components.Pages.Compare;

public sealed class ComparePageTests
{
    [Fact]
    public async Task ComparingTwoRunsDrawsTheSharedScratchCurveOnceAndListsWhatDiffers()
    {
        await using var ctx = new ComponentTestContext();
        var scratch = History(0.5);
        Save(ctx.Store, Run("a", new LabConfig { Alpha = 0.1 }, (0.92, 0.80, 0.792), scratch: scratch, name: "baseline"));
        Save(ctx.Store, Run("b", new LabConfig { Alpha = 0.3 }, (0.92, 0.80, 0.84), scratch: scratch, distilled: History(0.6, distilled: true)));

        var page = Open(ctx, "compare?runs=a,b,gone");

        Assert.Contains("No run with the id gone", page.Markup);
        var chart = page.FindComponent<CompareChart>();
        Assert.Equal(["Scratch (runs baseline, b)", "Distilled (run baseline)", "Distilled (run b)"], chart.Instance.Curves.Select(c => c.Label(false)));
        var table = page.Find("table");
        var headers = table.QuerySelectorAll("th").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(["Run", "α", "Teacher", "Scratch", "Distilled", "Distilled − scratch"], headers);
        Assert.Contains("−0.8 points", table.TextContent);
        Assert.Contains("+4.0 points", table.TextContent);
        Assert.Contains("0.1", table.TextContent);
    }

    [Fact]
    public async Task AnEmptySelectionSaysHowToPickRuns()
    {
        await using var ctx = new ComponentTestContext();
        var page = ctx.Render<ComparePage>();
        Assert.Contains("No runs chosen", page.Markup);
        Assert.Contains("Compare selected", page.Markup);
        Assert.Empty(page.FindComponents<CompareChart>());
    }

    [Fact]
    public async Task PickingASeventhRunIsRefusedWithAMessage()
    {
        await using var ctx = new ComponentTestContext();
        var ids = Enumerable.Range(1, 7).Select(i => Save(ctx.Store, Run($"r{i}", new LabConfig { Seed = i }, (0.9, 0.7, 0.7))).Id).ToList();
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        ctx.Render<MudPopoverProvider>();
        var page = Open(ctx, "compare?runs=" + string.Join(',', ids.Take(6)));
        Assert.Equal(6, page.FindComponent<CompareTable>().Instance.Runs.Count);

        var picker = page.FindComponent<MudSelect<string>>();
        await page.InvokeAsync(() => picker.Instance.SelectedValuesChanged.InvokeAsync(ids));

        page.WaitForAssertion(() => Assert.Contains("Compare takes at most 6 runs", page.Markup));
        Assert.DoesNotContain("r7", navigation.Uri);

        await page.InvokeAsync(() => picker.Instance.SelectedValuesChanged.InvokeAsync(["r7", "r2"]));
        Assert.EndsWith("compare?runs=r2,r7", navigation.Uri);
    }

    [Fact]
    public async Task ALossTermMetricDrawsOnlyTheDistilledStudent()
    {
        await using var ctx = new ComponentTestContext();
        Save(ctx.Store, Run("a", new LabConfig(), (0.9, 0.7, 0.75)));
        var page = Open(ctx, "compare?runs=a&metric=student_loss");
        var curve = Assert.Single(page.FindComponent<CompareChart>().Instance.Curves);
        Assert.Equal(ModelRole.StudentDistilled, curve.Model);
        Assert.Contains("averaged over its training batches", page.Markup);
    }

    [Fact]
    public async Task ARunStillTrainingGainsPointsAsItsEpochsEnd()
    {
        await using var ctx = new ComponentTestContext();
        Save(ctx.Store, Run("a", new LabConfig(), (0.9, 0.7, 0.75), distilled: History(0.55, epochs: 1, distilled: true)));
        var page = Open(ctx, "compare?runs=a&metric=distillation_loss");
        Assert.Single(page.FindComponent<CompareChart>().Instance.Curves[0].Points);

        var second = History(0.55, epochs: 2, distilled: true)[1];
        ctx.Store.AddEpoch("a", ModelRole.StudentDistilled, second);
        ctx.Events.Publish(new EpochCompletedEvent("a", ModelRole.StudentDistilled, second));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindComponent<CompareChart>().Instance.Curves[0].Points.Count));
    }

    [Fact]
    public async Task ARenameInAnotherTabRedrawsTheComparison()
    {
        await using var ctx = new ComponentTestContext();
        Save(ctx.Store, Run("a", new LabConfig(), (0.9, 0.7, 0.75)));
        var page = Open(ctx, "compare?runs=a");
        var labels = ctx.Services.GetRequiredService<RunLabels>();

        Assert.True(labels.Set("a", "  teacher at T=5 ", "first\nsecond").Saved);

        page.WaitForAssertion(() => Assert.Contains("teacher at T=5", page.Find("table").TextContent));
        Assert.Contains("Scratch (run teacher at T=5)", page.FindComponent<CompareChart>().Instance.Curves[0].Label(false));
    }

    /// <summary>The page as a person reaches it: by its address, which supplies the query parameters.</summary>
    private static IRenderedComponent<ComparePage> Open(ComponentTestContext ctx, string address)
    {
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return ctx.Render<ComparePage>();
    }
}
