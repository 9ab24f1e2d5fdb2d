using System.Text.RegularExpressions;
using DistillLab.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DistillLab.Tests.EndToEnd;

/// <summary>The Studies page in one tab: define a tiny study (2 α × 2 T × 2 seeds, 1 epoch), start it, see the heat
/// map fill cell by cell; queue a second study behind it and cancel that one before it starts; back on the first, see
/// the verdict card and open the best setting in the Lab. The study is scripted (the real one is
/// Core's); everything between the engine and the browser is the dashboard's own. Fails on any circuit or chart error
/// and any console error. Screenshots: artifacts/screenshots/study-*.png.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class StudyPageTests
{
    [Fact]
    public async Task ATinyStudyFillsTheHeatMapAndEndsWithAVerdictThatOpensInTheLab()
    {
        var engine = new ScriptedStudyEngine(batches: 3, batchMilliseconds: 20) { HoldAfterTrials = 2 };
        using var host = StudyHostExtensions.Host(engine);
        var health = PageHealth.Watch(host);
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenAsync(new Uri(host.BaseAddress, "/studies"), 1400, 1000);
        health.Follow(page, "studies tab");
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        var estimate = page.GetByRole(AriaRole.Status, new() { Name = "Study estimate" });
        await Expect(estimate).ToBeVisibleAsync();

        // A bad α is refused in place, naming the field; then the tiny space.
        var alpha = page.GetByLabel("α values");
        for (int attempt = 0; attempt < 40 && !await page.GetByText("alpha values must be between 0 and 1").IsVisibleAsync(); attempt++)
        {
            await alpha.FillAsync("0.1,1.5");
            await alpha.PressAsync("Tab");
            await page.WaitForTimeoutAsync(250);
        }
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start study" })).ToBeDisabledAsync();
        await alpha.FillAsync("0.1,0.5");
        await page.GetByLabel("T values").FillAsync("2,5");
        await BrowserSession.FillFieldAsync(page, "Seeds", "2");
        await BrowserSession.FillFieldAsync(page, "Teacher epochs", "1");
        await BrowserSession.FillFieldAsync(page, "Student epochs", "1");
        await page.GetByRole(AriaRole.Button, new() { Name = "More settings" }).ClickAsync();
        await BrowserSession.FillFieldAsync(page, "Image size (px)", "46");
        await BrowserSession.FillFieldAsync(page, "Limit (images)", "60");
        await Expect(estimate).ToContainTextAsync("Estimated duration:", new() { Timeout = 60_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Start study" }).ClickAsync();

        // Held after two trials (seed 42's first two settings): two cells in, one seed each.
        await engine.Held.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var map = page.GetByRole(AriaRole.Figure, new() { Name = "Heat map: mean gain over the scratch student" });
        await Expect(map).ToHaveAttributeAsync("data-cells", "2", new() { Timeout = 30_000 });
        await Expect(page.GetByLabel("Trials done")).ToHaveTextAsync("2 of 8 trials done");
        await Expect(map.Locator("text.nums, g.textpoint, text").Filter(new() { HasText = "1/2 seeds" }).First).ToBeVisibleAsync();
        // Start stays enabled while it runs, and says before the click that another study would queue.
        var queueHint = page.Locator(".queue-hint");
        await Expect(queueHint).ToContainTextAsync("is not finished: a new study waits in line and starts after it");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start study" })).ToBeEnabledAsync();
        var listed = page.GetByRole(AriaRole.List, new() { Name = "Studies" }).GetByRole(AriaRole.Listitem);
        await Expect(listed).ToHaveTextAsync(new Regex(@"^study-\S+\s+running$"));
        await BrowserSession.ScreenshotAsync(page, "study-1-filling");
        string first = (await listed.InnerTextAsync()).Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)[0];

        // A second study from the same tab queues behind the first, which stays on screen; opened from the list it
        // says it waits, and Cancel withdraws it before it ever starts.
        await page.GetByRole(AriaRole.Button, new() { Name = "Start study" }).ClickAsync();
        await Expect(listed).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Study {first}" })).ToBeVisibleAsync();
        var second = listed.Filter(new() { HasNotText = first });
        await Expect(second).ToHaveTextAsync(new Regex(@"^study-\S+\s+queued$"));
        await second.GetByRole(AriaRole.Link).ClickAsync();
        var status = page.GetByRole(AriaRole.Status, new() { Name = "Study status" });
        await Expect(status).ToHaveTextAsync("queued", new() { Timeout = 30_000 });
        await Expect(page.GetByText(new Regex(@"^waiting: \w+ study in the queue"))).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(@"^Cancel study study-") }).ClickAsync();
        await Expect(status).ToHaveTextAsync("cancelled", new() { Timeout = 30_000 });
        await Expect(second).ToHaveTextAsync(new Regex(@"^study-\S+\s+cancelled$"));
        await Expect(map).ToHaveCountAsync(0); // nothing to chart for a study that never ran
        await Expect(listed.Filter(new() { HasText = first })).ToHaveTextAsync(new Regex(@"^study-\S+\s+running$"));
        await BrowserSession.ScreenshotAsync(page, "study-queued-then-cancelled");

        // Back to the first from the list: still held at two trials, live again.
        await listed.Filter(new() { HasText = first }).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(status).ToHaveTextAsync("running", new() { Timeout = 30_000 });
        await Expect(map).ToHaveAttributeAsync("data-cells", "2", new() { Timeout = 30_000 });
        listed = listed.Filter(new() { HasText = first });

        engine.Release();
        await Expect(status).ToHaveTextAsync("completed", new() { Timeout = 60_000 });
        await Expect(map).ToHaveAttributeAsync("data-cells", "4");
        await Expect(queueHint).ToHaveCountAsync(0);
        await Expect(listed).ToHaveTextAsync(new Regex(@"^study-\S+\s+completed$"));
        var verdict = page.GetByRole(AriaRole.Region, new() { Name = "Verdict" });
        await Expect(verdict).ToContainTextAsync("helps by");
        await Expect(verdict).ToContainTextAsync("p =");
        await Expect(page.GetByRole(AriaRole.Figure, new() { Name = "Validation accuracy of each trial" })).ToHaveAttributeAsync("data-curves", "10"); // 2 baselines + 8 trials
        // Each setting says how many seeds would show its gain, for planning the next study.
        var table = page.Locator("[aria-label='Settings tried']");
        await Expect(table).ToContainTextAsync("Seeds to show it");
        await Expect(table.Locator("td[data-label='Seeds to show it']").Filter(new() { HasTextRegex = new Regex(@"^about \d+$") }).First).ToBeVisibleAsync();
        await BrowserSession.ScreenshotAsync(page, "study-2-verdict");

        // Open in Lab: the Lab form starts from the best setting (α = 0.5, T = 5 in the scripted study).
        await verdict.GetByRole(AriaRole.Link, new() { Name = "Open in Lab" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Spinbutton, new() { Name = "Alpha", Exact = true })).ToHaveValueAsync("0.50", new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Spinbutton, new() { Name = "Temperature", Exact = true })).ToHaveValueAsync("5");
        health.AssertHealthy();
    }
}
