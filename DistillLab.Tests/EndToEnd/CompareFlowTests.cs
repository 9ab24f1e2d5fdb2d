using DistillLab.Core.Experiments;
using DistillLab.Web.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static DistillLab.Tests.Support.CompareRuns;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.EndToEnd;

/// <summary>Runs page to Compare page in a real browser: sort, name a run, tick three, compare; at desktop and phone width.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class CompareFlowTests
{
    [Fact]
    public async Task PersonNamesARunComparesThreeAndSeesTheSharedScratchCurveOnce()
    {
        using var host = new DashboardHost(new ScriptedEngine());
        var store = host.Services.GetRequiredService<RunStore>();
        var sharedScratch = History(0.5, epochs: 5);
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        // A retune loop: the second run reused the first one's scratch student; the third changed T and trained its own.
        Save(store, Run("20250301-120000-aaaaaa", new LabConfig { Alpha = 0.1 }, (0.922, 0.80, 0.792), scratch: sharedScratch,
            distilled: History(0.52, 5, true), name: "baseline") with { CreatedAt = at });
        Save(store, Run("20250301-121000-bbbbbb", new LabConfig { Alpha = 0.3 }, (0.922, 0.80, 0.836), scratch: [.. sharedScratch],
            distilled: History(0.58, 5, true)) with { CreatedAt = at.AddMinutes(10) });
        Save(store, Run("20250301-122000-cccccc", new LabConfig { Alpha = 0.3, Temperature = 2 }, (0.922, 0.78, 0.81), scratch: History(0.47, 5),
            distilled: History(0.55, 5, true)) with { CreatedAt = at.AddMinutes(20) });

        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenAsync(new Uri(host.BaseAddress, "/runs"));
        var errors = new List<string>();
        // A failed load is checked by address below; the favicon's 404 is a known, separate issue.
        page.Console += (_, m) => { if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource")) errors.Add(m.Text); };
        page.Response += (_, r) => { if (r.Status >= 400 && !r.Url.EndsWith("/favicon.ico")) errors.Add($"{r.Status} {r.Url}"); };
        await page.SetViewportSizeAsync(1280, 800);
        await WaitForInteractiveAsync(page);
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Runs" });
        await Assertions.Expect(table.GetByText("+3.6 points")).ToBeVisibleAsync();

        // Sort by distilled − scratch: the worst retune comes first.
        await Assertions.Expect(page.GetByText("−0.8 points")).ToBeVisibleAsync();
        await page.GetByText("Distilled − scratch").First.ClickAsync();
        await Assertions.Expect(table.Locator("tbody tr").First).ToContainTextAsync("baseline");

        // Name the second run; the dialog checks as the API does.
        await page.GetByRole(AriaRole.Button, new() { Name = "Name or notes of run 20250301-121000-bbbbbb" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("alpha 0.3");
        await dialog.GetByLabel("Notes").FillAsync("Same teacher and scratch student as baseline.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(table).ToContainTextAsync("alpha 0.3");
        Assert.True(await page.EvaluateAsync<bool>("() => { const c = document.querySelector('.mud-table-container'); return c.scrollWidth <= c.clientWidth; }"),
            "At 1280 px the Runs table scrolls sideways.");
        await BrowserSession.ScreenshotAsync(page, "compare-1-runs-1280");

        foreach (var name in new[] { "baseline", "alpha 0.3", "20250301-122000-cccccc" })
            await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select run {name}" }).CheckAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Compare selected" }).ClickAsync();
        await page.WaitForURLAsync("**/compare?runs=*");

        var chart = page.GetByRole(AriaRole.Figure, new() { Name = "accuracy per epoch" });
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-curves", "5");
        await Assertions.Expect(chart.Locator(".scatterlayer .trace")).ToHaveCountAsync(5);
        await Assertions.Expect(chart.Locator(".legendtext").Filter(new() { HasText = "Scratch (runs baseline, alpha 0.3)" })).ToHaveCountAsync(1);
        var compared = page.GetByRole(AriaRole.Table, new() { Name = "Compared runs" });
        await Assertions.Expect(compared.Locator("th")).ToHaveTextAsync(["Run", "α", "T", "Teacher", "Scratch", "Distilled", "Distilled − scratch"]);
        await Assertions.Expect(compared).ToContainTextAsync("+3.6 points");
        await BrowserSession.ScreenshotAsync(page, "compare-2-chart-1280");

        // Untick the baseline in the picker: the address follows, and alpha 0.3's scratch curve now stands alone.
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Runs to compare" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "baseline (completed)" }).ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("runs=20250301-121000-bbbbbb,20250301-122000-cccccc$"));
        await Assertions.Expect(chart.Locator(".legendtext").Filter(new() { HasText = "Scratch (run alpha 0.3)" })).ToHaveCountAsync(1);
        await Assertions.Expect(chart.Locator(".scatterlayer .trace")).ToHaveCountAsync(4);
        await page.GoBackAsync();
        await Assertions.Expect(chart.Locator(".scatterlayer .trace")).ToHaveCountAsync(5);

        // The address is the comparison: opened again (another person, another tab) it shows the same.
        var shared = await browser.OpenAsync(new Uri(page.Url));
        await shared.SetViewportSizeAsync(390, 844);
        await Assertions.Expect(shared.GetByRole(AriaRole.Figure, new() { Name = "accuracy per epoch" }).Locator(".scatterlayer .trace")).ToHaveCountAsync(5);
        await AssertNoSidewaysScrollAsync(shared);
        await BrowserSession.ScreenshotAsync(shared, "compare-3-chart-390");
        await shared.GotoAsync(new Uri(host.BaseAddress, "/runs").ToString());
        await Assertions.Expect(shared.GetByText("alpha 0.3").First).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(shared);
        await BrowserSession.ScreenshotAsync(shared, "compare-4-runs-390");
        Assert.Empty(errors);
    }

    /// <summary>The page is prerendered: tick a run until the server counts it, which proves the circuit answers.</summary>
    private static async Task WaitForInteractiveAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        var box = page.GetByRole(AriaRole.Checkbox, new() { Name = "Select run baseline" });
        for (int attempt = 0; attempt < 60 && !await page.GetByText("1 selected").IsVisibleAsync(); attempt++)
        {
            await box.ClickAsync();
            await page.WaitForTimeoutAsync(300);
        }
        await Assertions.Expect(page.GetByText("1 selected")).ToBeVisibleAsync();
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        await page.WaitForTimeoutAsync(500);
        var (scroll, width) = (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("() => window.innerWidth"));
        Assert.True(scroll <= width, $"The page is {scroll} px wide in a {width} px window: it scrolls sideways.");
    }
}
