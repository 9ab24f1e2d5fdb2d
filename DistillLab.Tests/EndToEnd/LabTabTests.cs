using DistillLab.Core.Experiments;
using DistillLab.Web.Runs;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.EndToEnd;

/// <summary>One Lab tab kept open while a person retunes: the page must stay live through every kind of run.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class LabTabTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ALabTabStaysLiveAcrossAFreshRunAReusedTeacherRunAndCancelledRuns()
    {
        var engine = new ScriptedEngine(epochs: 2, batches: 3, batchMilliseconds: 20);
        using var host = new DashboardHost(engine);
        using var http = host.Http();
        var health = PageHealth.Watch(host);
        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenAsync(host.BaseAddress);
        health.Follow(page, "lab tab");
        await BrowserSession.WaitForInteractiveAsync(page);
        var status = page.GetByRole(AriaRole.Status, new() { Name = "Run status" });
        var accuracy = page.GetByRole(AriaRole.Figure, new() { Name = "Accuracy", Exact = true });

        // A fresh run: all three models train, 6 series x 2 epochs on the accuracy chart.
        await BrowserSession.StartRunAsync(page);
        await Expect(status).ToHaveTextAsync("completed", new() { Timeout = 60_000 });
        await Expect(accuracy).ToHaveAttributeAsync("data-points", "12");

        // Move alpha and start again: the teacher and its whole history come from the first run at once. This is
        // where every open Lab page used to die ("gd.data must be an array" from extendTraces before newPlot).
        await SetAlphaAsync(page, "0.30");
        await BrowserSession.StartRunAsync(page);
        await Expect(page.GetByText("Teacher and scratch student reused from run")).ToBeVisibleAsync();
        await Expect(status).ToHaveTextAsync("completed", new() { Timeout = 60_000 });
        await Expect(accuracy).ToHaveAttributeAsync("data-points", "12");
        await Expect(accuracy.Locator(".scatterlayer .trace")).ToHaveCountAsync(6);
        await Expect(page.GetByRole(AriaRole.Figure, new() { Name = "Distilled student: combined loss" })).ToHaveAttributeAsync("data-points", "6");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "Teacher (reused)" })).ToBeVisibleAsync();

        // A run held mid-way, a second started behind it: the second is only queued, and says so.
        // Held in the distilled student: a retune reuses the teacher and the scratch student, so only it trains.
        engine.HoldAfterFirstEpochOf = ModelRole.StudentDistilled;
        await SetAlphaAsync(page, "0.40");
        await BrowserSession.StartRunAsync(page);
        await engine.Held.Task.WaitAsync(Wait);
        await Expect(status).ToHaveTextAsync("running");
        var running = (await host.WaitForAsync(http, await NewestIdAsync(http), r => r.Status == RunStatus.Running)).Id;
        await SetAlphaAsync(page, "0.50");
        await BrowserSession.StartRunAsync(page);
        await Expect(page.GetByText("queued (2nd in line)")).ToBeVisibleAsync();
        var queue = page.GetByRole(AriaRole.Region, new() { Name = "Queue" });
        await Expect(queue).ToContainTextAsync("2nd in line");
        await Expect(queue).ToContainTextAsync("α = 0.50");
        var queued = await NewestIdAsync(http);
        Assert.NotEqual(running, queued);

        // Cancel acts on the chosen run: the queued one from its own button, the running one stays untouched.
        await queue.GetByRole(AriaRole.Button, new() { Name = $"Cancel queued run {queued}" }).ClickAsync();
        await Expect(queue).ToBeHiddenAsync();
        Assert.Equal(RunStatus.Cancelled, (await host.WaitForAsync(http, queued, r => !r.IsActive, 10)).Status);
        await Expect(status).ToHaveTextAsync("running");
        Assert.Equal(RunStatus.Running, (await host.WaitForAsync(http, running, _ => true)).Status);

        // The running run's Cancel stays in the form.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Cancel run {running}" }).ClickAsync();
        await Expect(status).ToHaveTextAsync("cancelled");
        Assert.Equal(RunStatus.Cancelled, (await host.WaitForAsync(http, running, r => !r.IsActive, 10)).Status);
        await BrowserSession.ScreenshotAsync(page, "lab-tab-after-cancel");

        // Still interactive: a change reaches the server and the estimate answers.
        await SetAlphaAsync(page, "1.5");
        await Expect(page.Locator("#alpha-message")).ToContainTextAsync("alpha must be a number between 0 and 1");
        health.AssertHealthy();
    }

    private static async Task SetAlphaAsync(IPage page, string value)
    {
        var field = page.GetByRole(AriaRole.Spinbutton, new() { Name = "Alpha", Exact = true });
        await field.FillAsync(value);
        await field.PressAsync("Tab");
    }

    private static async Task<string> NewestIdAsync(HttpClient http)
    {
        var runs = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement[]>(http, "/api/runs");
        return runs![0].GetProperty("id").GetString()!;
    }
}
