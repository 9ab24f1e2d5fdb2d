using System.Collections.Concurrent;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Runtime;
using DistillLab.Web.Settings;
using Microsoft.Extensions.Options;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Estimates;

/// <summary>A run's expected duration: Core's three phases from a throughput, plus loading and finishing.</summary>
/// <param name="Reused">The models the run will reuse instead of training (their phase is only a test).</param>
/// <param name="SpeedSource">Where the speeds came from, in words: "measured here" or "run X's epochs".</param>
/// <param name="OverheadSource">Where loading and finishing came from, in words.</param>
public sealed record DurationEstimate(RunEstimate Phases, TimeSpan Loading, TimeSpan Finishing, IReadOnlyList<ModelRole> Reused,
    Throughput Speed, string SpeedSource, string OverheadSource)
{
    public TimeSpan Total => Phases.Total + Loading + Finishing;
}

/// <summary>The answer to "how long will this run take": an estimate, or why there is none yet
/// (<paramref name="Measuring"/> completes when a measurement that would give one has ended).</summary>
public sealed record EstimateAnswer(DurationEstimate? Estimate, string? Pending, Task? Measuring = null);

/// <summary>Speeds a caller already knows (a finished study's epochs), with where they came from in words.</summary>
public sealed record KnownSpeed(Throughput Speed, string Source);

/// <summary>Estimates runs before they start. Speeds come, in order of preference, from the epochs of the newest completed
/// run at the same device, image size and batch size, or from a measurement of a few training steps here (once per
/// such key, never while a run is queued or training: it would slow that run and skew the figure).</summary>
public sealed class RunEstimates(RunRegistry registry, ModelReuse reuse, ThroughputMeter meter, IOptions<DashboardOptions> dashboard)
{
    /// <summary>What a throughput depends on.</summary>
    public readonly record struct SpeedKey(string Device, int ImageSize, int BatchSize);

    private readonly ConcurrentDictionary<SpeedKey, Task<Throughput>> measured = new();

    /// <param name="poolImages">Usable images of the data source before the limit.</param>
    /// <param name="known">Speeds to use before any run's or measurement's (a study's estimate from a finished study).</param>
    public EstimateAnswer Estimate(RunRequest request, int poolImages, KnownSpeed? known = null)
    {
        var config = request.Config;
        if (!TryKey(config, out var key, out var problem)) return new(null, problem);
        var reused = new List<ModelRole>();
        if (request.ReuseTeacher)
        {
            (config, var sources) = reuse.Plan(config);
            reused.AddRange(sources.Select(s => s.Role));
        }

        var completed = registry.Completed();
        Throughput speed;
        string speedSource;
        measured.TryGetValue(key, out var measuring);
        if (known is not null)
            (speed, speedSource) = (known.Speed, known.Source);
        else if (FromHistory(completed, key) is { } history)
            (speed, speedSource) = (RunFigures.Speed(history)!, $"run {history.Id}'s epochs");
        else if (measuring is { IsCompletedSuccessfully: true })
            (speed, speedSource) = (measuring.Result, "measured here");
        else if (measuring is { IsFaulted: true })
            return new(null, $"could not be measured: {measuring.Exception!.GetBaseException().Message}");
        else if (measuring is not null)
            return new(null, "measuring…", measuring);
        else if (registry.HasActiveRuns || registry.StudyTraining)
            return new(null, "not measured yet: measuring now would slow the training in progress; it is measured when that ends");
        else
            return new(null, "measuring…", measured.GetOrAdd(key, k => Task.Run(() => meter.Measure(k.Device, k.ImageSize, k.BatchSize))));

        var (train, validation, test) = PoolSplit.For(config.Data).SizesOf(Math.Min(config.Limit ?? int.MaxValue, poolImages));
        var phases = RunEstimate.Of(config, train, validation, test, speed);
        var (loading, finishing, overheadSource) = Overheads(completed, config, key, speed, test);
        return new(new DurationEstimate(phases, loading, finishing, reused, speed, speedSource, overheadSource), null);
    }

    /// <summary>A speed known without measuring: from the newest completed run at this key, else one measured here before.</summary>
    private Throughput? Known(IReadOnlyList<RunDetails> completed, SpeedKey key) =>
        FromHistory(completed, key) is { } run ? RunFigures.Speed(run)
        : measured.TryGetValue(key, out var task) && task.IsCompletedSuccessfully ? task.Result : null;

    /// <summary>What is known before a running run's figures: the speeds at its device, image size and batch size (null
    /// when none; nothing is measured while it trains) and the finishing time after its last phase.</summary>
    public (Throughput? Speed, TimeSpan Finishing) Baseline(RunDetails run)
    {
        if (run is not { Device: { } device, ImageSize: { } size, Data: { } data }) return (null, TimeSpan.Zero);
        var key = new SpeedKey(device, size, run.Config.BatchSize);
        var completed = registry.Completed();
        var speed = Known(completed, key);
        // Without an earlier figure, the run's own speeds (once it has them) size the finishing work.
        var sizing = speed ?? RunFigures.Speed(run);
        return (speed, sizing is null ? TimeSpan.Zero : Overheads(completed, run.Config, key, sizing, data.Test).Finishing);
    }

    public static bool TryKey(LabConfig config, out SpeedKey key, out string problem)
    {
        key = default;
        problem = "";
        try
        {
            var device = TorchRuntime.ResolveDevice(config.Device);
            key = new SpeedKey(device.type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu", config.ImageSize ?? TorchRuntime.DefaultImageSize(device), config.BatchSize);
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            problem = $"not available: {e.Message}";
            return false;
        }
    }

    private (TimeSpan Loading, TimeSpan Finishing, string Source) Overheads(IReadOnlyList<RunDetails> completed, LabConfig config, SpeedKey key, Throughput speed, int test)
    {
        if (FromSameData(completed, config, key) is { } run && RunFigures.Overheads(run, speed) is var (loading, finishing))
            return (loading, finishing, $"loading and saving as long as in run {run.Id}");
        // Predicting the stored test images with all three models, and timing 55 single-image passes of each.
        int stored = Math.Min(test, dashboard.Value.StoredTestImages);
        var modelled = TimeSpan.FromSeconds(speed.AllModelsEvaluationSeconds(stored + 55));
        return (TimeSpan.Zero, modelled, "loading the data not counted until a run on this data has finished");
    }

    // Newest first: the completed runs come ordered by when they finished.
    private static RunDetails? FromHistory(IReadOnlyList<RunDetails> completed, SpeedKey key) =>
        completed.FirstOrDefault(r => Matches(r, key) && RunFigures.Speed(r) is not null);

    private static RunDetails? FromSameData(IReadOnlyList<RunDetails> completed, LabConfig config, SpeedKey key) =>
        completed.FirstOrDefault(r => Matches(r, key) && r.Config.Data == config.Data && r.Config.Limit == config.Limit && r.TotalSeconds is not null);

    private static bool Matches(RunDetails run, SpeedKey key) =>
        run.Status == RunStatus.Completed && run.Device == key.Device && run.ImageSize == key.ImageSize && run.Config.BatchSize == key.BatchSize;
}
