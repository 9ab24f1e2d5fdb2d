using Microsoft.Playwright;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.EndToEnd;

/// <summary>A person's path through the dashboard in a real browser, against the real training service.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class LabFlowTests
{
    [Fact]
    public async Task PersonSetsAlphaStartsATinyRunWatchesCurvesAndSeesPredictions()
    {
        using var host = new DashboardHost();
        var data = host.CreateImageFolder();
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenAsync(host.BaseAddress);
        await BrowserSession.WaitForInteractiveAsync(page);

        // Alpha with the slider, by keyboard: 0.05 + 15 steps of 0.01.
        var alpha = page.GetByRole(AriaRole.Slider, new() { Name = "Alpha" });
        await alpha.FocusAsync();
        for (int i = 0; i < 15; i++) await alpha.PressAsync("ArrowRight");
        await Assertions.Expect(page.GetByLabel("Alpha", new() { Exact = true }).And(page.Locator("input[type=text],input:not([type])"))).ToHaveValueAsync("0.20");

        await page.GetByLabel("Data source").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = data }).Or(page.GetByText(data)).First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "More settings" }).ClickAsync();
        await BrowserSession.FillFieldAsync(page, "Image size (px)", "46");
        await BrowserSession.FillFieldAsync(page, "Limit (images)", "60");
        await BrowserSession.FillFieldAsync(page, "Teacher epochs", "1");
        await BrowserSession.FillFieldAsync(page, "Student epochs", "1");
        await BrowserSession.FillFieldAsync(page, "Batch size", "16");
        await Assertions.Expect(page.GetByRole(AriaRole.Status, new() { Name = "Estimate" })).ToContainTextAsync("Estimated duration: about");
        await BrowserSession.ScreenshotAsync(page, "1-lab-form");

        // A second tab, opened before the run starts, must follow it live too.
        var otherTab = await browser.OpenAsync(host.BaseAddress);
        await otherTab.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await otherTab.WaitForTimeoutAsync(1000);

        await page.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();

        // Every model's curves gain a point: 3 models x (train + validation) on the accuracy and loss charts.
        var accuracy = page.GetByRole(AriaRole.Figure, new() { Name = "Accuracy", Exact = true });
        await Assertions.Expect(accuracy).ToHaveAttributeAsync("data-points", "6", new() { Timeout = 120_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Figure, new() { Name = "Loss (cross-entropy)" })).ToHaveAttributeAsync("data-points", "6");
        // The distilled student's combined loss and its two terms: 3 series x 1 epoch.
        await Assertions.Expect(page.GetByRole(AriaRole.Figure, new() { Name = "Distilled student: combined loss" })).ToHaveAttributeAsync("data-points", "3");
        await Assertions.Expect(page.GetByText("Distilled − scratch")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(accuracy.Locator(".scatterlayer .trace")).ToHaveCountAsync(6);
        var labPlot = page.GetByRole(AriaRole.Figure, new() { Name = "Distilled vs scratch accuracy" });
        await Assertions.Expect(labPlot.Locator(".scatterlayer .trace")).ToHaveCountAsync(4);
        await Assertions.Expect(page.GetByRole(AriaRole.Status, new() { Name = "Run status" })).ToHaveTextAsync("completed");
        await BrowserSession.ScreenshotAsync(page, "2-lab-finished");
        await Assertions.Expect(otherTab.GetByRole(AriaRole.Figure, new() { Name = "Accuracy", Exact = true }))
            .ToHaveAttributeAsync("data-points", "6");
        await Assertions.Expect(otherTab.GetByRole(AriaRole.Status, new() { Name = "Run status" })).ToHaveTextAsync("completed");

        await page.GetByRole(AriaRole.Link, new() { Name = "Predictions" }).ClickAsync();
        var images = page.GetByRole(AriaRole.List, new() { Name = "Test images" }).GetByRole(AriaRole.Listitem);
        await Assertions.Expect(images.First).ToBeVisibleAsync();
        Assert.True(await images.CountAsync() >= 1);
        foreach (var model in new[] { "Teacher", "Distilled", "Scratch" })
            await Assertions.Expect(images.First.GetByLabel($"{model} prediction")).ToContainTextAsync("%");
        Assert.True(await BrowserSession.LoadedWidthAsync(images.First.GetByRole(AriaRole.Img)) > 0);

        // Upload your own picture: every model answers for it.
        var picture = Directory.EnumerateFiles(Path.Combine(host.DataDirectory, "tiny", "dog")).First();
        await page.Locator("input[type=file]").SetInputFilesAsync(picture);
        var yours = page.GetByLabel("Your picture");
        await Assertions.Expect(yours).ToBeVisibleAsync();
        foreach (var model in new[] { "Teacher", "Distilled", "Scratch" })
            await Assertions.Expect(yours.GetByLabel($"{model} prediction")).ToContainTextAsync("%");
        // Shown as the models saw it: stretched to the run's 46 px.
        var seen = yours.GetByRole(AriaRole.Img);
        await Assertions.Expect(seen).ToHaveAttributeAsync("alt", new System.Text.RegularExpressions.Regex("as the models saw it, 46 × 46 pixels"));
        Assert.Equal(46, await BrowserSession.LoadedWidthAsync(seen));
        await BrowserSession.ScreenshotAsync(page, "3-predictions");

        await page.GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        await Assertions.Expect(page.GetByText("completed").First).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Checkbox).First.CheckAsync();
        await BrowserSession.ScreenshotAsync(page, "4-runs");
        await page.GetByRole(AriaRole.Link, new() { Name = "Compare selected" }).ClickAsync();
        var compared = page.GetByRole(AriaRole.Figure, new() { Name = "accuracy per epoch" });
        await Assertions.Expect(compared.Locator(".scatterlayer .trace")).ToHaveCountAsync(2);
    }
}
