using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DistillLab.Web.Runs;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.EndToEnd;

/// <summary>The loop the dashboard exists for, as a person does it all day, in one Lab tab against the real training
/// service: a fresh run, move α and T, a retune that reuses the teacher and the scratch student (a second tab joins
/// mid-run), compare the two, then a long run with another queued behind it - the queued one cancelled from the queue,
/// the running one from the form - and one more retune to show the tab is still alive. Fails on any circuit or chart
/// error on the server and any console error in either tab. Screenshots of each step: artifacts/screenshots/loop-*.png.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class RetuneLoopTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task FreshRunRetuneCompareAndCancelAQueuedRunInOneTab()
    {
        using var host = new DashboardHost();
        using var http = host.Http();
        var health = PageHealth.Watch(host);
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenAsync(host.BaseAddress, 1280, 900);
        health.Follow(page, "first tab");
        await BrowserSession.WaitForInteractiveAsync(page);
        var status = page.GetByRole(AriaRole.Status, new() { Name = "Run status" });
        var estimate = page.GetByRole(AriaRole.Status, new() { Name = "Estimate" });

        // 1. A fresh run on 1,000 of the built-in pictures at 46 px: all three models train.
        await page.GetByRole(AriaRole.Button, new() { Name = "More settings" }).ClickAsync();
        await BrowserSession.FillFieldAsync(page, "Image size (px)", "46");
        await BrowserSession.FillFieldAsync(page, "Limit (images)", "1000");
        await BrowserSession.FillFieldAsync(page, "Teacher epochs", "3");
        await BrowserSession.FillFieldAsync(page, "Student epochs", "3");
        await Expect(estimate).ToContainTextAsync("Estimated duration: about", new() { Timeout = 60_000 });
        await BrowserSession.ScreenshotAsync(page, "loop-1-settings");
        await BrowserSession.StartRunAsync(page);
        await Expect(status).ToHaveTextAsync("completed", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        var first = await NewestAsync(http);
        Assert.False(first.Teacher.Reused);
        Assert.False(first.StudentScratch.Reused);
        var accuracy = page.GetByRole(AriaRole.Figure, new() { Name = "Accuracy", Exact = true });
        await Expect(accuracy).ToHaveAttributeAsync("data-points", "18"); // 3 models x (train + validation) x 3 epochs
        await BrowserSession.ScreenshotAsync(page, "loop-2-fresh-run");

        // 2. Move alpha with the slider's keys and T in its number field; the estimate knows what will be reused.
        var alphaSlider = page.GetByRole(AriaRole.Slider, new() { Name = "Alpha" });
        await alphaSlider.FocusAsync();
        for (int i = 0; i < 25; i++) await alphaSlider.PressAsync("ArrowRight");
        await Expect(page.GetByRole(AriaRole.Spinbutton, new() { Name = "Alpha", Exact = true })).ToHaveValueAsync("0.30");
        await BrowserSession.FillFieldAsync(page, "Temperature", "2");
        await Expect(estimate).ToContainTextAsync("teacher and scratch student reused", new() { Timeout = 60_000 });
        await BrowserSession.ScreenshotAsync(page, "loop-3-retuned");

        // 3. The retune: only the distilled student trains; a second tab joins while it runs and follows it.
        await BrowserSession.StartRunAsync(page);
        await Expect(page.GetByText($"Teacher and scratch student reused from run {first.Id}")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var second = await NewestAsync(http);
        Assert.NotEqual(first.Id, second.Id);
        var late = await browser.OpenAsync(host.BaseAddress, 1280, 900);
        health.Follow(late, "second tab");
        await Expect(status).ToHaveTextAsync("completed", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        await Expect(late.GetByRole(AriaRole.Status, new() { Name = "Run status" })).ToHaveTextAsync("completed");
        await Expect(late.GetByRole(AriaRole.Figure, new() { Name = "Accuracy", Exact = true })).ToHaveAttributeAsync("data-points", "18");
        await Expect(accuracy).ToHaveAttributeAsync("data-points", "18");
        second = await RunAsync(http, second.Id);
        Assert.Equal((first.Id, first.Id), (second.Teacher.ReusedFrom, second.StudentScratch.ReusedFrom));
        Assert.Equal(first.StudentScratch.TestAccuracy, second.StudentScratch.TestAccuracy);
        Assert.Equal((0.3, 2.0), (second.Config.Alpha, second.Config.Temperature));
        await BrowserSession.ScreenshotAsync(page, "loop-4-reused-run");
        await BrowserSession.ScreenshotAsync(late, "loop-4-second-tab");

        // 4. Compare the two: the shared scratch student is one curve named after both runs; alpha and T differ.
        await page.GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        foreach (var id in new[] { first.Id, second.Id })
            await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select run {id}" }).CheckAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Compare selected" }).ClickAsync();
        var chart = page.GetByRole(AriaRole.Figure, new() { Name = "accuracy per epoch" });
        await Expect(chart.Locator(".legendtext").Filter(new() { HasText = $"Scratch (runs {first.Id}, {second.Id})" })).ToHaveCountAsync(1);
        var compared = page.GetByRole(AriaRole.Table, new() { Name = "Compared runs" });
        await Expect(compared.Locator("th").Filter(new() { HasTextRegex = new Regex("^(α|T)$") })).ToHaveCountAsync(2);
        await Expect(compared).ToContainTextAsync("points");
        await BrowserSession.ScreenshotAsync(page, "loop-5-compare");

        // 5. Back to the Lab in the same tab: the form starts from the run on screen, so the retune goes on from there.
        await page.GetByRole(AriaRole.Link, new() { Name = "Lab" }).ClickAsync();
        await BrowserSession.WaitForInteractiveAsync(page);
        await Expect(page.GetByRole(AriaRole.Spinbutton, new() { Name = "Alpha", Exact = true })).ToHaveValueAsync("0.30");
        await Expect(page.GetByRole(AriaRole.Spinbutton, new() { Name = "Temperature", Exact = true })).ToHaveValueAsync("2");
        // A long run (a new teacher of 1,000 epochs) and one more queued behind it.
        await BrowserSession.FillFieldAsync(page, "Teacher epochs", "1000");
        await BrowserSession.StartRunAsync(page);
        await Expect(status).ToHaveTextAsync("running", new() { Timeout = 60_000 });
        var running = await NewestAsync(http);
        await BrowserSession.FillFieldAsync(page, "Alpha", "0.5");
        await BrowserSession.StartRunAsync(page);
        await Expect(page.GetByText("queued (2nd in line)")).ToBeVisibleAsync();
        var queued = await NewestAsync(http);
        Assert.NotEqual(running.Id, queued.Id);
        var queue = page.GetByRole(AriaRole.Region, new() { Name = "Queue" });
        await Expect(queue).ToContainTextAsync("2nd in line");
        await BrowserSession.ScreenshotAsync(page, "loop-6-queued");

        // 6. Cancel the queued run from its own button: the running one goes on; then cancel that from the form.
        await queue.GetByRole(AriaRole.Button, new() { Name = $"Cancel queued run {queued.Id}" }).ClickAsync();
        await Expect(queue).ToBeHiddenAsync();
        Assert.Equal(RunStatus.Cancelled, (await host.WaitForAsync(http, queued.Id, r => !r.IsActive, 30)).Status);
        Assert.Equal(RunStatus.Running, (await RunAsync(http, running.Id)).Status);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Cancel run {running.Id}" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("cancelled", new() { Timeout = 60_000 });
        await BrowserSession.ScreenshotAsync(page, "loop-7-cancelled");

        // 7. The tab is still alive: the retune's settings again reuse the first run's models and complete.
        await BrowserSession.FillFieldAsync(page, "Teacher epochs", "3");
        await BrowserSession.FillFieldAsync(page, "Alpha", "0.7");
        await BrowserSession.StartRunAsync(page);
        await Expect(page.GetByText($"Teacher and scratch student reused from run {first.Id}")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(status).ToHaveTextAsync("completed", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
        await Expect(accuracy).ToHaveAttributeAsync("data-points", "18");
        await BrowserSession.ScreenshotAsync(page, "loop-8-alive");

        health.AssertHealthy();
    }

    private static async Task<RunDetails> NewestAsync(HttpClient http)
    {
        var runs = await http.GetFromJsonAsync<JsonElement[]>("/api/runs");
        return await RunAsync(http, runs![0].GetProperty("id").GetString()!);
    }

    private static async Task<RunDetails> RunAsync(HttpClient http, string id) =>
        (await http.GetFromJsonAsync<RunDetails>($"/api/runs/{id}", DashboardHost.Json))!;
}
