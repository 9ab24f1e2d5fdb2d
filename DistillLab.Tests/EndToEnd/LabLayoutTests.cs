using System.Text.Json;
using DistillLab.Core.Experiments;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;
using Contrast = DistillLab.Tests.Support.Contrast;

namespace DistillLab.Tests.EndToEnd;

/// <summary>How the pages read and fit in a real browser: the form at 1280 x 720, a phone at 390 px, WCAG AA contrast,
/// visible focus, the delete dialog, and right/wrong not by colour alone. Runs are scripted (no training).</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class LabLayoutTests(ITestOutputHelper output)
{
    private const double AA = 4.5;

    [Fact]
    public async Task TheLabFitsADesktopAndAPhoneExplainsItselfAndReachesAaContrast()
    {
        var engine = new ScriptedEngine(epochs: 2, batches: 3, batchMilliseconds: 20);
        using var host = new DashboardHost(engine);
        var health = PageHealth.Watch(host);
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenAsync(host.BaseAddress, 1280, 720);
        health.Follow(page, "1280 tab");
        await BrowserSession.WaitForInteractiveAsync(page);
        var contrast = new Dictionary<string, Contrast.Measure>();

        // Start is on screen without scrolling.
        var start = page.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true });
        var box = (await start.BoundingBoxAsync())!;
        Assert.True(box.Y + box.Height <= 720, $"Start ends at y = {box.Y + box.Height}, below the 720 px window.");
        await BrowserSession.ScreenshotAsync(page, "lab-1280x720");

        // What the data is: eight drawn samples beside "not photos".
        var note = page.GetByRole(AriaRole.Note, new() { Name = "About the data" });
        await Expect(note).ToContainTextAsync("Drawn pictures, not photos");
        await Expect(note.GetByRole(AriaRole.Img)).ToHaveCountAsync(8);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.sample-strip img')].every(i => i.complete && i.naturalWidth === 64)");

        // Keyboard focus is visible on a button.
        await page.GetByRole(AriaRole.Button, new() { Name = "More settings" }).FocusAsync();
        for (int i = 0; i < 30 && await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()") != "Start"; i++)
            await page.Keyboard.PressAsync("Tab");
        var ring = await page.EvaluateAsync<JsonElement>("() => { const s = getComputedStyle(document.activeElement); return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) }; }");
        Assert.NotEqual("none", ring.GetProperty("style").GetString());
        Assert.True(ring.GetProperty("width").GetDouble() >= 2, $"focus outline {ring}");

        // An out-of-range alpha: the message under the field, in full width, and it stays after the field loses focus.
        var alpha = page.GetByRole(AriaRole.Spinbutton, new() { Name = "Alpha", Exact = true });
        await alpha.FillAsync("1.5");
        await alpha.PressAsync("Tab");
        await page.WaitForTimeoutAsync(500);
        var message = page.Locator("#alpha-message");
        await Expect(message).ToHaveTextAsync("alpha must be a number between 0 and 1; got 1.5.");
        Assert.True((await message.BoundingBoxAsync())!.Width > 300);
        await Expect(start).ToBeDisabledAsync();
        contrast["validation message"] = await Contrast.OfAsync(page, "#alpha-message");
        await alpha.FillAsync("0.05");
        await alpha.PressAsync("Tab");
        await Expect(message).ToHaveCountAsync(0);

        // petimages is listed, but not selectable before its download.
        await page.GetByLabel("Data source").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Option, new() { Name = "petimages (download first)" })).ToBeDisabledAsync();
        await page.Keyboard.PressAsync("Escape");

        // A run held mid-way and one queued behind it: chips, buttons and texts of a busy page.
        engine.HoldAfterFirstEpochOf = ModelRole.StudentScratch;
        await start.ClickAsync();
        await engine.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Run status" })).ToHaveTextAsync("running");
        await start.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Queue" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Note, new() { Name = "Distilled student: combined loss" })).ToContainTextAsync("Waiting for the distilled student");
        contrast["estimate"] = await Contrast.OfAsync(page, "[aria-label=Estimate] .mud-alert-message");
        contrast["running chip"] = await Contrast.OfAsync(page, "[aria-label='Run status']");
        contrast["Cancel (form)"] = await Contrast.OfAsync(page, "button[aria-label^='Cancel run'] .mud-button-label");
        contrast["Cancel (queue)"] = await Contrast.OfAsync(page, "button[aria-label^='Cancel queued run'] .mud-button-label");
        contrast["help text"] = await Contrast.OfAsync(page, ".control-help");
        contrast["data note"] = await Contrast.OfAsync(page, ".data-note .mud-typography-caption");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, "lab-1280x720-running.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel queued run" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Run status" })).ToHaveTextAsync("cancelled");
        contrast["cancelled chip"] = await Contrast.OfAsync(page, "[aria-label='Run status']");

        // A finished run.
        engine.HoldAfterFirstEpochOf = null;
        await start.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Run status" })).ToHaveTextAsync("completed", new() { Timeout = 60_000 });
        await Expect(page.GetByRole(AriaRole.Figure, new() { Name = "Distilled vs scratch accuracy" })).ToHaveAttributeAsync("data-points", "8");
        contrast["completed chip"] = await Contrast.OfAsync(page, "[aria-label='Run status']");
        contrast["results caption"] = await Contrast.OfAsync(page, ".results-caption");
        await BrowserSession.ScreenshotAsync(page, "lab-1280-finished");

        // The charts have a toolbar with reset and one hover label for all series at an epoch.
        var accuracy = page.GetByRole(AriaRole.Figure, new() { Name = "Accuracy", Exact = true });
        await Expect(accuracy.Locator(".modebar-btn[data-attr='zoom'][data-val='reset']")).ToHaveCountAsync(1);
        Assert.Equal("x unified", await accuracy.Locator(".js-plotly-plot").EvaluateAsync<string>("gd => gd.layout.hovermode"));

        // A phone: nothing scrolls sideways, chart titles and legends stay inside their charts, the results table stacks.
        var phone = await browser.OpenAsync(host.BaseAddress, 390, 844);
        health.Follow(phone, "390 tab");
        await Expect(phone.GetByRole(AriaRole.Figure, new() { Name = "Distilled vs scratch accuracy" })).ToHaveAttributeAsync("data-points", "8");
        await phone.WaitForTimeoutAsync(500);
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "The page scrolls sideways at 390 px.");
        Assert.True(await phone.EvaluateAsync<bool>("() => [...document.querySelectorAll('.results-table, .results-table *')].every(e => e.scrollWidth <= e.clientWidth + 1)"),
            "The results table scrolls sideways at 390 px.");
        var overflowing = await phone.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.chart-box')].flatMap(box => {
                const b = box.getBoundingClientRect();
                return [...box.querySelectorAll('.gtitle, .legend')].filter(e => { const r = e.getBoundingClientRect(); return r.left < b.left - 1 || r.right > b.right + 1; })
                    .map(e => `${box.getAttribute('aria-label')}: ${e.getAttribute('class')}`);
            })
            """);
        Assert.Empty(overflowing);
        // What the results were measured on stays readable on a phone, inside the window.
        var caption = phone.Locator(".results-caption");
        await Expect(caption).ToHaveTextAsync("Measured on synthetic (drawn pictures, not photos), 46 px: 8 test images");
        var captionBox = (await caption.BoundingBoxAsync())!;
        Assert.True(captionBox.X >= 0 && captionBox.X + captionBox.Width <= 390, $"The results caption spans x = {captionBox.X} to {captionBox.X + captionBox.Width}.");
        // A caption squeezed into a narrow box wraps a word per line (or a letter): it must take the table's width.
        Assert.True(captionBox.Width >= 300 && captionBox.Height <= 60, $"The results caption is {captionBox.Width} x {captionBox.Height} px at 390 px.");
        await Expect(phone.GetByLabel("Data split")).ToContainTextAsync("Data: synthetic (drawn pictures, not photos), 46 px");
        await BrowserSession.ScreenshotAsync(phone, "lab-390");

        // Runs: Delete's contrast; the dialog focuses Cancel and closes on Esc, deleting nothing.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        var deletes = page.GetByRole(AriaRole.Button, new() { Name = "Delete run" });
        await Expect(deletes.First).ToBeVisibleAsync();
        contrast["Delete (runs)"] = await Contrast.OfAsync(page, "button[aria-label^='Delete run']:not([disabled])"); // an icon button: its colour is the icon's
        int before = await deletes.CountAsync();
        await deletes.First.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.textContent.trim() === 'Cancel'");
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(deletes).ToHaveCountAsync(before);

        // Predictions: right and wrong carry an icon and a word.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Predictions" }).ClickAsync();
        var answer = page.GetByRole(AriaRole.List, new() { Name = "Test images" }).GetByLabel("Scratch prediction").First;
        await Expect(answer).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\((right|wrong)\)$"));
        await Expect(answer.Locator("svg")).ToHaveCountAsync(1);
        contrast["prediction"] = await Contrast.OfAsync(page, ".answer.right .mud-typography, .answer.wrong .mud-typography");

        var report = string.Join("\n", contrast.Select(c => $"{c.Key}: {c.Value.Ratio}:1 ({c.Value.Color} on {c.Value.Background})"));
        output.WriteLine(report);
        File.WriteAllText(Path.Combine(BrowserSession.ScreenshotDirectory, "contrast.txt"), report);
        Assert.All(contrast, c => Assert.True(c.Value.Ratio >= AA, $"{c.Key}: {c.Value.Ratio}:1 is below {AA}:1 ({c.Value.Color} on {c.Value.Background})"));
        health.AssertHealthy();
    }
}
