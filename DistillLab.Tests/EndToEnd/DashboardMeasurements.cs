using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using DistillLab.Web.Runs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using Xunit.Abstractions;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.EndToEnd;

/// <summary>Runs only with DISTILLLAB_MEASURE=1: the figures of docs/benchmarks-dashboard.md are measured, not asserted.</summary>
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DISTILLLAB_MEASURE") != "1")
            Skip = "A measurement, not a test: set DISTILLLAB_MEASURE=1 to run it (see docs/benchmarks-dashboard.md).";
    }
}

[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardMeasurements(ITestOutputHelper output)
{
    private const int Runs = 5;

    /// <summary>Five consecutive real runs (64 px, 300 images, 4 + 4 + 4 epochs) with a hub client timing every epoch event,
    /// a browser tab nudging the temperature slider once a second, and the process's memory read after each run.</summary>
    [MeasurementFact]
    public async Task HubLatencyPageResponsivenessAndMemoryOverFiveRuns()
    {
        using var host = new DashboardHost();
        var data = host.CreateImageFolder("measure", perClass: 150, size: 64);
        using var http = host.Http();
        await using var hub = await host.ConnectHubAsync();
        var latencies = new List<double>();
        hub.On<EpochCompletedEvent>("EpochCompleted", e => { lock (latencies) latencies.Add((DateTimeOffset.UtcNow - e.At).TotalMilliseconds); });

        await using var browser = await BrowserSession.StartAsync();
        var page = await browser.OpenAsync(host.BaseAddress);
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await page.WaitForTimeoutAsync(1000);
        // Count plotly calls: live updates must be extendTraces; newPlot only for a chart that appears (a new run's charts).
        // plotly.js loads with the first chart, so the counter is attached when it appears.
        const string wrap = """
            () => { if (!window.Plotly) return false; if (window.__plotly) return true; window.__plotly = {};
                for (const n of ['newPlot', 'react', 'update', 'redraw', 'purge', 'extendTraces', 'restyle', 'relayout']) {
                    const f = window.Plotly[n]; window.Plotly[n] = function (...a) { window.__plotly[n] = (window.__plotly[n] || 0) + 1; return f.apply(this, a); }; }
                return true; }
            """;
        using var stop = new CancellationTokenSource();
        var clicks = new List<double>();
        var nudging = Task.Run(() => NudgeTemperature(page, clicks, stop.Token));
        var wrapped = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && !await page.EvaluateAsync<bool>(wrap)) await Task.Delay(5);
        });

        var memory = new List<object>();
        memory.Add(Memory("before"));
        var runSeconds = new List<double>();
        for (int i = 0; i < Runs; i++)
        {
            var clock = Stopwatch.StartNew();
            var id = await host.SubmitAsync(http, new { data, imageSize = 64, teacherEpochs = 4, studentEpochs = 4, alpha = 0.05 + 0.1 * i, reuseTeacher = false });
            var run = await host.WaitForAsync(http, id, r => !r.IsActive, 600);
            Assert.Equal(RunStatus.Completed, run.Status);
            runSeconds.Add(clock.Elapsed.TotalSeconds);
            memory.Add(Memory($"after run {i + 1}"));
        }
        stop.Cancel();
        await nudging;
        await wrapped;
        var plotlyCalls = await page.EvaluateAsync<JsonElement>("() => window.__plotly || null");

        var report = new
        {
            machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
            runs = Runs,
            runSeconds,
            hubLatencyMs = Summary(latencies),
            sliderRoundTripMs = Summary(clicks),
            plotlyCallsDuringRuns = plotlyCalls,
            memory,
        };
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
        var folder = Path.Combine(Path.GetDirectoryName(BrowserSession.ScreenshotDirectory)!, "measurements");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "dashboard.json"), json);
        output.WriteLine(json);
    }

    /// <summary>Moves the temperature slider one step by keyboard and times until the number field beside it shows the new value.</summary>
    private static async Task NudgeTemperature(IPage page, List<double> times, CancellationToken stop)
    {
        var slider = page.GetByRole(AriaRole.Slider, new() { Name = "Temperature" });
        var number = page.GetByLabel("Temperature", new() { Exact = true }).And(page.Locator("input:not([type=range])"));
        bool up = true;
        while (!stop.IsCancellationRequested)
        {
            var before = await number.InputValueAsync();
            var clock = Stopwatch.StartNew();
            await slider.PressAsync(up ? "ArrowRight" : "ArrowLeft");
            while (await number.InputValueAsync() == before && clock.ElapsedMilliseconds < 10_000) await Task.Delay(5);
            times.Add(clock.Elapsed.TotalMilliseconds);
            up = !up;
            await Task.Delay(1000);
        }
    }

    private static object Summary(List<double> values)
    {
        lock (values)
        {
            var sorted = values.Order().ToArray();
            double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            return new { count = sorted.Length, p50 = At(0.5), p95 = At(0.95), max = sorted.LastOrDefault() };
        }
    }

    private static object Memory(string when)
    {
        // Measurement code, not library code: collect so the managed figure is live objects only.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return new { when, liveTensors = TorchSharp.torch.Tensor.TotalCount, workingSetMb = Math.Round(process.WorkingSet64 / 1048576.0, 1), managedMb = Math.Round(GC.GetTotalMemory(false) / 1048576.0, 1) };
    }
}
