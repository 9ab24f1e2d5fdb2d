using System.Text.Json;
using DistillLab.Core.Data.Synthetic;
using DistillLab.Core.Experiments;
using DistillLab.Web.Estimates;
using DistillLab.Web.Runs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.EndToEnd;

/// <summary>The form's estimate against the real duration, for a fresh run, retunes that reuse the teacher and
/// scratch student, and a fresh run after them; plus the status panel's whole-run time left sampled mid-run.
/// A measurement (DISTILLLAB_MEASURE=1), not a test: the figures go to docs/benchmarks-dashboard.md.</summary>
[Collection(DashboardCollection.Name)]
[Trait("Category", "Browser")]
public sealed class EstimateMeasurements(ITestOutputHelper output)
{
    [MeasurementFact]
    public async Task EstimatesAgainstActualDurations()
    {
        using var host = new DashboardHost();
        using var http = host.Http();
        var estimates = host.Services.GetRequiredService<RunEstimates>();
        var registry = host.Services.GetRequiredService<RunRegistry>();
        await using var hub = await host.ConnectHubAsync();
        var samples = new List<(string RunId, string At, DateTimeOffset When, double? Predicted)>();
        hub.On<BatchProgressEvent>("BatchProgress", e =>
        {
            // Sampled where the panel shows it: at the start of each phase's second epoch.
            if (e.Epoch != 2 || e.Batch != 1 || registry.Get(e.RunId) is not { } run) return;
            var (speed, finishing) = estimates.Baseline(run);
            lock (samples) samples.Add((e.RunId, $"{e.Model} epoch 2", DateTimeOffset.UtcNow, RunTimeLeft.Seconds(run, speed, finishing)));
        });

        var config = new LabConfig { Data = "synthetic", Limit = 2000, ImageSize = 64, TeacherEpochs = 4, StudentEpochs = 3, BatchSize = 32 };
        var plan = new (string Name, LabConfig Config, bool Reuse)[]
        {
            ("fresh, no earlier run", config, true),
            ("retune alpha 0.3 (reuses teacher and scratch)", config with { Alpha = 0.3 }, true),
            ("retune alpha 0.6, T 8 (reuses teacher and scratch)", config with { Alpha = 0.6, Temperature = 8 }, true),
            ("fresh, reuse off, after three runs", config with { Alpha = 0.1 }, false),
        };
        var rows = new List<object>();
        foreach (var (name, runConfig, reuse) in plan)
        {
            var request = new RunRequest(runConfig, reuse);
            var answer = estimates.Estimate(request, poolImages: SyntheticCatsDogs.DefaultCount);
            if (answer.Measuring is { } measuring)
            {
                await measuring;
                answer = estimates.Estimate(request, SyntheticCatsDogs.DefaultCount);
            }
            var estimate = answer.Estimate!;
            var id = await host.SubmitAsync(http, new
            {
                data = runConfig.Data, limit = runConfig.Limit, imageSize = runConfig.ImageSize, teacherEpochs = runConfig.TeacherEpochs,
                studentEpochs = runConfig.StudentEpochs, batchSize = runConfig.BatchSize, alpha = runConfig.Alpha, temperature = runConfig.Temperature,
                reuseTeacher = reuse,
            });
            var run = await host.WaitForAsync(http, id, r => !r.IsActive, 3600);
            Assert.Equal(RunStatus.Completed, run.Status);
            double actual = (run.FinishedAt!.Value - run.StartedAt!.Value).TotalSeconds;
            List<object> timeLeft;
            lock (samples)
                timeLeft = samples.Where(s => s.RunId == id).Select(s => (object)new
                {
                    at = s.At, predicted = s.Predicted is { } p ? Math.Round(p, 1) : (double?)null,
                    actual = Math.Round((run.FinishedAt.Value - s.When).TotalSeconds, 1),
                }).ToList();
            rows.Add(new
            {
                run = name, id,
                estimateSeconds = Math.Round(estimate.Total.TotalSeconds, 1), actualSeconds = Math.Round(actual, 1),
                coreSeconds = Math.Round(run.TotalSeconds ?? 0, 1),
                speedSource = estimate.SpeedSource, overheadSource = estimate.OverheadSource,
                speed = new { estimate.Speed.TeacherImagesPerSecond, estimate.Speed.StudentImagesPerSecond, estimate.Speed.DistilledImagesPerSecond, estimate.Speed.EvaluationShare },
                parts = new
                {
                    teacher = estimate.Phases.Teacher.TotalSeconds, scratch = estimate.Phases.Scratch.TotalSeconds, distilled = estimate.Phases.Distilled.TotalSeconds,
                    loading = estimate.Loading.TotalSeconds, finishing = estimate.Finishing.TotalSeconds,
                },
                measuredEpochSeconds = ModelRoles.All.ToDictionary(ModelRoles.Key, r => Math.Round(run.Model(r).History.Sum(e => e.Seconds), 1)),
                reused = estimate.Reused,
                timeLeft,
            });
        }

        var json = JsonSerializer.Serialize(new { machine = $"{Environment.ProcessorCount} cores", load = File.ReadAllText("/proc/loadavg").Trim(), rows },
            new JsonSerializerOptions { WriteIndented = true });
        var folder = Path.Combine(Path.GetDirectoryName(BrowserSession.ScreenshotDirectory)!, "measurements");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "estimates.json"), json);
        output.WriteLine(json);
    }
}
