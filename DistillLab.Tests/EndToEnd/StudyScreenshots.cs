using DistillLab.Tests.Support;
using DistillLab.Web.Studies;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DistillLab.Tests.EndToEnd;

/// <summary>The issue's study (α {0.05, 0.5, 0.9} × T {1, 5, 10} × 3 seeds, built-in set, 64 px; 1,000 of its images
/// on this 2-core machine) started from the Studies page with the real runner; screenshots of the filling heat map and
/// the verdict go to docs/images/studies-*.png. A measurement (DISTILLLAB_MEASURE=1), not a test: it takes minutes.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class StudyScreenshots(ITestOutputHelper output)
{
    [MeasurementFact]
    public async Task TheIssuesStudyFromThePage()
    {
        using var host = new DashboardHost();
        using var http = host.Http();
        var health = PageHealth.Watch(host);
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenAsync(new Uri(host.BaseAddress, "/studies"), 1400, 1000);
        health.Follow(page, "studies tab");
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        var estimate = page.GetByRole(AriaRole.Status, new() { Name = "Study estimate" });
        await Expect(estimate).ToContainTextAsync("Estimated duration:", new() { Timeout = 120_000 });
        // The form's defaults are the issue's space; only the image count is lowered for this machine.
        var more = page.GetByRole(AriaRole.Button, new() { Name = "More settings" });
        for (int attempt = 0; attempt < 20 && await more.GetAttributeAsync("aria-expanded") != "true"; attempt++)
        {
            await more.ClickAsync();
            await page.WaitForTimeoutAsync(500);
        }
        for (int attempt = 0; attempt < 40 && await page.GetByLabel("Limit (images)").InputValueAsync() != "1000"; attempt++)
        {
            await BrowserSession.FillFieldAsync(page, "Limit (images)", "1000");
            await page.WaitForTimeoutAsync(300);
        }
        await Expect(estimate).ToContainTextAsync("about", new() { Timeout = 120_000 });
        await page.WaitForTimeoutAsync(2000);
        output.WriteLine("estimate: " + await estimate.TextContentAsync() + " / " + await page.GetByText("trials on").TextContentAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Start study" }).ClickAsync();

        var done = page.GetByLabel("Trials done");
        await Expect(done).ToHaveTextAsync("14 of 27 trials done", new() { Timeout = 60 * 60_000 });
        await page.WaitForTimeoutAsync(1500);
        await ScreenshotAsync(page, "studies-heatmap-filling.png");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Verdict" })).ToBeVisibleAsync(new() { Timeout = 60 * 60_000 });
        await page.WaitForTimeoutAsync(1500);
        await ScreenshotAsync(page, "studies-verdict.png");

        var studies = await http.GetStringAsync("/api/studies");
        var id = System.Text.Json.JsonDocument.Parse(studies).RootElement[0].GetProperty("id").GetString()!;
        var study = await http.WaitForStudyAsync(id, s => !s.IsActive);
        output.WriteLine($"{study.Status} in {study.TotalSeconds:F0} s; teachers trained {study.Teachers.Count(t => !t.Reused)}");
        foreach (var t in study.Teachers) output.WriteLine($"teacher seed {t.Seed}: {t.TestAccuracy:P1}");
        foreach (var s in study.Settings) output.WriteLine($"{s.Alpha} {s.Temperature} seeds {s.Seeds} val {s.MeanValAccuracy:P1} delta {100 * s.MeanDelta:F2} ci {string.Join(" ", s.Ci95?.Select(c => (100 * c).ToString("F2")) ?? [])}");
        output.WriteLine("verdict: " + study.Best?.Verdict);
        health.AssertHealthy();
    }

    /// <summary>The whole page from its top (scrolled, the fixed app bar would cross the picture).</summary>
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = DocsImage(name), FullPage = true });
    }

    private static string DocsImage(string name)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "DistillLab.sln"))) folder = folder.Parent;
        return Path.Combine(folder!.FullName, "docs", "images", name);
    }
}
