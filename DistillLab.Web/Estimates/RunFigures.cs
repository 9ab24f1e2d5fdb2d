using DistillLab.Core.Experiments;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Estimates;

/// <summary>What a run's own epochs and clock measured: training speeds, and the time spent outside training.</summary>
public static class RunFigures
{
    /// <summary>Training speeds from the run's epochs; null until the teacher and the scratch student each have one.
    /// Epochs copied from a reused model's run count: they were measured at the same device, image size and batch size.</summary>
    public static Throughput? Speed(RunDetails run)
    {
        if (Mean(run.Teacher) is not { } teacher || Mean(run.StudentScratch) is not { } student) return null;
        var speed = new Throughput(teacher, student) { DistilledImagesPerSecond = Mean(run.StudentDistilled) };
        return EvaluationShare(run) is { } share ? speed with { EvaluationShare = share } : speed;
    }

    /// <summary>Mean training images per second over a model's epochs; null without epochs.</summary>
    public static double? Mean(ModelView model) =>
        model.History.Count > 0 ? model.History.Average(e => e.ImagesPerSecond) : null;

    /// <summary>A validation pass's seconds per image as a share of a training step's, from the scratch student's epochs
    /// (an epoch's seconds include its validation; its images per second count training only).</summary>
    private static double? EvaluationShare(RunDetails run)
    {
        if (run.Data is not { Train: > 0, Validation: > 0 } data || run.StudentScratch.History.Count == 0) return null;
        double share = run.StudentScratch.History.Average(e =>
            (e.Seconds - data.Train / e.ImagesPerSecond) / data.Validation * e.ImagesPerSecond);
        // A noisy machine can make one epoch's validation look free or dearer than training; keep it plausible.
        return Math.Clamp(share, 0.02, 1);
    }

    /// <summary>Seconds a completed run spent outside its training epochs: loading the data (before the first epoch,
    /// less the three models' tests), and finishing (saving models, predicting and timing the stored test images).</summary>
    public static (TimeSpan Loading, TimeSpan Finishing)? Overheads(RunDetails run, Throughput speed)
    {
        if (run is not { Status: RunStatus.Completed, StartedAt: { } started, FinishedAt: { } finished, TotalSeconds: { } core, Data: { } data })
            return null;
        double trained = ModelRoles.All.Where(r => !run.Model(r).Reused).Sum(r => run.Model(r).History.Sum(e => e.Seconds));
        double loading = core - trained - speed.AllModelsEvaluationSeconds(data.Test);
        double finishing = (finished - started).TotalSeconds - core;
        return (TimeSpan.FromSeconds(Math.Max(0, loading)), TimeSpan.FromSeconds(Math.Max(0, finishing)));
    }
}
