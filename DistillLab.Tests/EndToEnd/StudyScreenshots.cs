using DistillLab.Tests.Support;
using DistillLab.Web.Studies;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace DistillLab.Tests.EndToEnd;

/// <summary>The issue's study (α {0.05, 0.5, 0.9} × T {1, 5, 10} × 3 seeds, the whole built-in set, 64 px, one libtorch thread) started
/// from the Studies page with the real runner; screenshots of the filling heat map and
/// the verdict go to docs/images/studies-*.png. A measurement (DISTILLLAB_MEASURE=1), not a test: it takes minutes.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class StudyScreenshots(ITestOutputHelper output)
{
    [MeasurementFact]
    public async Task TheIssuesStudyFromThePage()
    {
        using var host = new DashboardHost(settings: OneThread);
        using var http = host.Http();
        var health = PageHealth.Watch(host);
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenAsync(new Uri(host.BaseAddress, "/studies"), 1400, 1000);
        health.Follow(page, "studies tab");
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        var estimate = page.GetByRole(AriaRole.Status, new() { Name = "Study estimate" });
        await Expect(estimate).ToContainTextAsync("Estimated duration:", new() { Timeout = 120_000 });
        // The form's defaults are the issue's space and the built-in set at full size: nothing to change.
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
        Report(study);
        health.AssertHealthy();
    }

    /// <summary>The same study posted to the API of a fresh dashboard: with one libtorch thread, as the page's above and
    /// `study` on the command line with DISTILLLAB_Torch__Threads=1, the three give the same figures.</summary>
    [MeasurementFact]
    public async Task TheIssuesStudyFromTheApi()
    {
        using var host = new DashboardHost(settings: OneThread);
        using var http = host.Http();
        var id = await http.SubmitStudyAsync(new
        {
            data = "synthetic", imageSize = 64, alpha = new[] { 0.05, 0.5, 0.9 }, temperature = new[] { 1.0, 5.0, 10.0 }, seeds = 3,
        });
        var study = await http.WaitForStudyAsync(id, s => !s.IsActive, seconds: 3 * 3600);
        Assert.True(study.Status == StudyStatus.Completed, study.Error);
        Assert.Equal(3, study.Teachers.Count(t => !t.Reused));
        Report(study);
    }

    private static readonly Dictionary<string, string?> OneThread = new() { ["Torch:Threads"] = "1" };

    private void Report(StudyDetails study)
    {
        output.WriteLine($"{study.Status} in {study.TotalSeconds:F0} s; teachers trained {study.Teachers.Count(t => !t.Reused)}");
        foreach (var t in study.Teachers) output.WriteLine($"teacher seed {t.Seed}: {t.TestAccuracy:P2}");
        foreach (var s in study.Settings) output.WriteLine($"{s.Alpha} {s.Temperature} seeds {s.Seeds} val {s.MeanValAccuracy:P2} delta {100 * s.MeanDelta:F2} ci {string.Join(" ", s.Ci95?.Select(c => (100 * c).ToString("F2")) ?? [])}");
        output.WriteLine("verdict: " + study.Best?.Verdict);
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
