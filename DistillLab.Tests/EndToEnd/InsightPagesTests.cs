using System.Globalization;
using System.Net.Http.Json;

using DistillLab.Web.Predictions;
using DistillLab.Web.Runs;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

using DistillLab.Tests.Support;

namespace DistillLab.Tests.EndToEnd;

/// <summary>A really trained run's insight in the browser: the Lab page's figures, diagrams and confusion matrices, the
/// Runs page's insight columns, and the Predictions page's dark-knowledge view, whose numbers the browser computes
/// as the slider moves. Screenshots: artifacts/screenshots/insight-*.png (docs/images keeps copies).</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class InsightPagesTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TheRunsInsightShowsOnEveryPageAndTheSliderSoftensInTheBrowser()
    {
        using var host = new DashboardHost();
        using var http = host.Http();
        var health = PageHealth.Watch(host);
        // Three classes the models learn in a few epochs but cannot always tell apart: real confidence, real mistakes.
        var data = OverlappingColours(host.DataDirectory);
        var id = await host.SubmitAsync(http, new { data, imageSize = 46, teacherEpochs = 8, studentEpochs = 6, batchSize = 16 });
        var run = await host.WaitForAsync(http, id, r => !r.IsActive, seconds: 600);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.NotNull(run.Insight);

        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenAsync(host.BaseAddress, 1400, 1000);
        health.Follow(page, "the tab");
        // Frames the page sends to the server over its circuits (opened on each page load below).
        int framesSent = 0;
        page.WebSocket += (_, socket) => socket.FrameSent += (_, _) => Interlocked.Increment(ref framesSent);

        // Lab: the results gain figures per model, three reliability diagrams and three confusion matrices.
        var insight = page.GetByRole(AriaRole.Region, new() { Name = "Beyond accuracy" });
        await Expect(insight).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(insight.Locator(".reliability-box .main-svg").First).ToBeVisibleAsync();
        await Expect(insight.Locator(".reliability-box")).ToHaveCountAsync(3);
        await Expect(insight.Locator("table.confusion")).ToHaveCountAsync(3);
        await Expect(insight.GetByRole(AriaRole.Row).Filter(new() { HasText = "Student (distilled)" }).First)
            .ToContainTextAsync(Percent(run.Insight!.StudentDistilled.AgreementWithTeacher!.Value));
        await page.WaitForTimeoutAsync(500); // plotly's last layout pass
        await insight.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, "insight-lab.png") });

        // Runs: the switch adds the students' figures beside accuracy.
        await page.SetViewportSizeAsync(1700, 700); // the folder source's long path widens the Data column
        await page.GotoAsync(new Uri(host.BaseAddress, "/runs").ToString());
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Runs" });
        var agreement = table.Locator("td[data-label='Agreement (distilled / scratch)'] b");
        for (int attempt = 0; attempt < 60 && await agreement.CountAsync() == 0; attempt++)
        {
            await page.GetByText("Fidelity and calibration").ClickAsync();
            await page.WaitForTimeoutAsync(300);
        }
        await Expect(agreement).ToHaveTextAsync(Percent(run.Insight.StudentDistilled.AgreementWithTeacher!.Value));
        await Expect(table.Locator("td[data-label='ECE (distilled / scratch)'] small")).ToHaveTextAsync(Percent(run.Insight.StudentScratch.Ece));
        await BrowserSession.ScreenshotAsync(page, "insight-runs");

        // Predictions: pick a fox (the class with a close neighbour, where the teacher's doubts show), then drag the temperature; every number is softmax(z / T) of the API's logits.
        await page.SetViewportSizeAsync(1400, 1000);
        await page.GotoAsync(new Uri(host.BaseAddress, $"/predictions/{id}").ToString());
        var view = page.GetByRole(AriaRole.Region, new() { Name = "Dark knowledge" });
        var shownT = view.Locator("output[data-temperature]");
        await Expect(shownT).ToHaveTextAsync("1.0", new() { Timeout = 60_000 });
        var fox = page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "True: fox" }).Nth(1);
        var button = fox.GetByRole(AriaRole.Button, new() { Name = "Temperatures" });
        string label = (await button.GetAttributeAsync("aria-label"))!;
        int index = int.Parse(label[(label.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        await button.ClickAsync();
        await Expect(view).ToContainTextAsync($"test image {index} at");
        await Expect(shownT).ToHaveTextAsync("1.0");
        var logits = (await http.GetFromJsonAsync<ImageLogits>($"/api/runs/{id}/logits/{index}", DashboardHost.Json))!;
        await Expect(view).ToContainTextAsync($"True: {logits.TrueLabel}");
        await AssertShownProbabilitiesAsync(view, logits, 1);

        var slider = view.GetByRole(AriaRole.Slider, new() { Name = "Temperature" });
        await slider.FocusAsync();
        int sentBefore = Volatile.Read(ref framesSent);
        foreach (var (presses, temperature) in new[] { (6, 4.0), (12, 10.0) })
        {
            for (int i = 0; i < presses; i++) await slider.PressAsync("ArrowRight");
            await Expect(shownT).ToHaveTextAsync(temperature.ToString("0.0", CultureInfo.InvariantCulture));
            await AssertShownProbabilitiesAsync(view, logits, temperature);
        }
        await slider.PressAsync("End");
        await Expect(shownT).ToHaveTextAsync("20.0");
        await AssertShownProbabilitiesAsync(view, logits, 20);
        await slider.PressAsync("Home");
        await Expect(shownT).ToHaveTextAsync("1.0");
        for (int i = 0; i < 8; i++) await slider.PressAsync("ArrowRight");
        await Expect(shownT).ToHaveTextAsync("5.0");
        await slider.BlurAsync();
        await page.EvaluateAsync("() => window.scrollTo(0, 0)"); // the view sits near the top, clear of the fixed app bar
        // 28 steps and two jumps; a round trip per step would send at least one frame each (a keep-alive ping may pass).
        int sent = Volatile.Read(ref framesSent) - sentBefore;
        Assert.True(sent <= 2, $"The page sent {sent} frames to the server while the slider moved: the softmax should be computed in the browser.");
        await view.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, "insight-dark-knowledge.png") });
        output.WriteLine($"image {index}: teacher logits [{string.Join(", ", logits.Teacher)}]; frames sent to the server while the slider moved: {sent}");
        health.AssertHealthy();
    }

    /// <summary>Every shown probability equals softmax(z / T) of the API's logits, to the one decimal shown.</summary>
    private static async Task AssertShownProbabilitiesAsync(ILocator view, ImageLogits logits, double temperature)
    {
        foreach (var (model, z) in new[] { ("teacher", logits.Teacher), ("studentScratch", logits.StudentScratch), ("studentDistilled", logits.StudentDistilled) })
        {
            var expected = Softmax(z, temperature);
            var cells = view.Locator($"tr[data-model={model}] td[data-class]");
            Assert.Equal(logits.Classes.Count, await cells.CountAsync());
            for (int c = 0; c < expected.Length; c++)
            {
                var text = (await cells.Nth(c).Locator(".dk-p").TextContentAsync())!.Trim();
                double shown = double.Parse(text.TrimEnd('%', ' '), CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(shown - expected[c] * 100) <= 0.05 + 1e-9,
                    $"{model}, {logits.Classes[c]} at T = {temperature}: shown {text}, softmax gives {expected[c] * 100:0.000} %");
            }
        }
    }

    private static double[] Softmax(float[] logits, double temperature)
    {
        var scaled = logits.Select(z => z / temperature).ToArray();
        double max = scaled.Max();
        var exps = scaled.Select(z => Math.Exp(z - max)).ToArray();
        return exps.Select(e => e / exps.Sum()).ToArray();
    }

    /// <summary>A folder source of 3 x 200 pictures at 46 px: flat colours with a per-picture shift, so a cat and a fox
    /// (close colours) are often confused and a dog (far from both) rarely is.</summary>
    private static string OverlappingColours(string dataDirectory)
    {
        var folder = Path.Combine(dataDirectory, "colours");
        var random = new Random(11);
        foreach (var (name, r, g, b) in new[] { ("cat", 190, 90, 70), ("fox", 160, 100, 90), ("dog", 70, 100, 190) })
        {
            Directory.CreateDirectory(Path.Combine(folder, name));
            for (int i = 0; i < 200; i++)
            {
                int shift = (int)Math.Round(Gaussian(random) * 22);
                using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(46, 46);
                for (int y = 0; y < 46; y++)
                    for (int x = 0; x < 46; x++)
                        image[x, y] = new(Byte(r + shift + random.Next(-20, 21)), Byte(g + random.Next(-20, 21)), Byte(b - shift + random.Next(-20, 21)));
                SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, Path.Combine(folder, name, $"{i:D3}.png"));
            }
        }
        return "folder:" + folder;

        static byte Byte(int value) => (byte)Math.Clamp(value, 0, 255);
        static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
