using DistillLab.Core.Experiments;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Estimates;

/// <summary>Time left for a whole training run: the rest of its current phase, the phases after it, and finishing.</summary>
public static class RunTimeLeft
{
    /// <summary>Seconds left, or null while the run is not in a training phase or no speed is known for a phase still to come.</summary>
    /// <param name="before">Speeds known before the run started (earlier runs, or a measurement), for what this run has not measured yet.</param>
    /// <param name="finishing">Saving models and predictions after the last phase.</param>
    public static double? Seconds(RunDetails run, Throughput? before, TimeSpan finishing)
    {
        if (run is not { Status: RunStatus.Running, Progress: { } progress, Data: { } data }) return null;
        // This run's own epochs first: they were measured under the load the machine has now.
        var own = RunFigures.Speed(run);
        double? teacher = RunFigures.Mean(run.Teacher) ?? before?.TeacherImagesPerSecond;
        double? student = RunFigures.Mean(run.StudentScratch) ?? before?.StudentImagesPerSecond;
        if (teacher is null || student is null) return null;
        var speed = new Throughput(teacher.Value, student.Value)
        {
            DistilledImagesPerSecond = RunFigures.Mean(run.StudentDistilled) ?? before?.DistilledImagesPerSecond,
            EvaluationShare = own?.EvaluationShare ?? before?.EvaluationShare ?? new Throughput(1, 1).EvaluationShare,
        };
        // The estimate needs only to know whether a model is reused, not where its file is.
        var config = run.Config with
        {
            TeacherPath = run.Teacher.Reused || run.Teacher.ReusedFrom is not null ? "reused" : null,
            ScratchPath = run.StudentScratch.Reused || run.StudentScratch.ReusedFrom is not null ? "reused" : null,
        };
        var phases = RunEstimate.Of(config, data.Train, data.Validation, data.Test, speed);
        double done = progress.Batches == 0 ? 0 : ((progress.Epoch - 1) * progress.Batches + progress.Batch) / (double)(progress.Epochs * progress.Batches);
        double current = progress.SecondsLeft ?? phases.Phase(progress.Model).TotalSeconds * (1 - done);
        double later = ModelRoles.All.Where(role => role > progress.Model).Sum(role => phases.Phase(role).TotalSeconds);
        return current + later + finishing.TotalSeconds;
    }
}
