using Bunit;
using DistillLab.Core.Experiments;
using RunsPage = DistillLab.Web.Components.Pages.Runs.Runs;
using DistillLab.Web.Runs;
using MudBlazor;
using static DistillLab.Tests.Support.CompareRuns;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Components.Pages.Runs;

public sealed class RunsPageTests
{
    private static ComponentTestContext WithRuns()
    {
        var ctx = new ComponentTestContext();
        Save(ctx.Store, Run("run-a", new LabConfig { Alpha = 0.1 }, (0.9, 0.80, 0.85)) with { CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-3) });
        Save(ctx.Store, Run("run-b", new LabConfig { Alpha = 0.2 }, (0.9, 0.80, 0.78)) with { CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-2) });
        Save(ctx.Store, Run("run-c", new LabConfig { Alpha = 0.3 }, (0.9, 0.80, 0.80)) with { CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        return ctx;
    }

    private static List<string> RowIds(IRenderedComponent<RunsPage> page) =>
        page.FindAll("tbody tr").Select(r => r.QuerySelector("td[data-label=Run]")!.TextContent.Trim()).ToList();

    [Fact]
    public async Task DistilledMinusScratchIsAColumnAndSortsTheRuns()
    {
        await using var ctx = WithRuns();
        var page = ctx.Render<RunsPage>();
        Assert.Equal(["run-c", "run-b", "run-a"], RowIds(page)); // newest first
        var gains = page.FindAll("td[data-label='Distilled − scratch']").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["0.0 points", "−2.0 points", "+5.0 points"], gains);

        page.FindAll("th").Single(th => th.TextContent.Contains("Distilled − scratch")).QuerySelector(".mud-table-sort-label")!.Click();
        Assert.Equal(["run-b", "run-c", "run-a"], RowIds(page));
        page.FindAll("th").Single(th => th.TextContent.Trim() == "α").QuerySelector(".mud-table-sort-label")!.Click();
        Assert.Equal(["run-a", "run-b", "run-c"], RowIds(page));
    }

    [Fact]
    public async Task CompareSelectedLinksToTheTickedRunsAndRefusesASeventh()
    {
        await using var ctx = WithRuns();
        for (int i = 4; i <= 7; i++) Save(ctx.Store, Run($"run-{i}", new LabConfig(), (0.9, 0.8, 0.8)));
        var page = ctx.Render<RunsPage>();
        Assert.NotNull(CompareButton(page).GetAttribute("disabled"));

        Tick(page, "run-b");
        Tick(page, "run-a");
        // A tick re-renders through MudBlazor's checkbox event, which can land after Click returns on a busy machine.
        page.WaitForAssertion(() => Assert.Equal("/compare?runs=run-b,run-a", CompareButton(page).GetAttribute("href")));

        foreach (var id in new[] { "run-c", "run-4", "run-5", "run-6", "run-7" }) Tick(page, id);
        page.WaitForAssertion(() =>
        {
            Assert.Contains("Compare takes at most 6 runs; untick 1", page.Markup);
            Assert.NotNull(CompareButton(page).GetAttribute("disabled"));
        });
    }

    [Fact]
    public async Task NamingARunStoresItAndTellsOtherTabs()
    {
        await using var ctx = WithRuns();
        var changed = new List<RunEvent>();
        using var other = ctx.Events.Subscribe(e => { lock (changed) changed.Add(e); return Task.CompletedTask; });
        var dialogs = ctx.Render<MudDialogProvider>();
        var page = ctx.Render<RunsPage>();

        page.Find("button[aria-label='Name or notes of run run-a']").Click();
        dialogs.WaitForElement("textarea");
        dialogs.FindComponents<MudTextField<string>>()[0].Find("input").Input(new string('x', 81));
        dialogs.WaitForAssertion(() => Assert.Contains("name must be at most 80 characters; got 81.", dialogs.Markup));
        Assert.NotNull(dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Save").GetAttribute("disabled"));

        dialogs.FindComponents<MudTextField<string>>()[0].Find("input").Input("low T");
        dialogs.FindComponents<MudTextField<string>>()[1].Find("textarea").Input("T=2 after the T=5 run");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Save").Click();

        var stored = ctx.Store.Load("run-a")!;
        Assert.Equal(("low T", "T=2 after the T=5 run"), (stored.Name, stored.Notes));
        page.WaitForAssertion(() => Assert.Contains("low T", page.Find("tbody").TextContent));
        Assert.True(SpinWait.SpinUntil(() => { lock (changed) return changed.OfType<RunChangedEvent>().Any(e => e.RunId == "run-a"); }, 5000));
    }

    private static AngleSharp.Dom.IElement CompareButton(IRenderedComponent<RunsPage> page) =>
        page.FindAll("a, button").Single(b => b.TextContent.Trim() == "Compare selected");

    private static void Tick(IRenderedComponent<RunsPage> page, string id) =>
        page.Find($"input[aria-label='Select run {id}']").Change(true);
}
