using DistillLab.Core.Experiments;
using DistillLab.Core.Training;

namespace DistillLab.Web.Studies;

/// <summary>What a study's own epochs measured, as a run's do (RunFigures): the teachers', the baselines' (scratch
/// students') and the trials' (distilled students with cached teacher logits) training speeds.</summary>
public static class StudySpeeds
{
    /// <summary>Mean training images per second over every teacher epoch and every baseline epoch (null until both have
    /// one), with the trials' mean as the distilled speed. A reused teacher's epochs count: they were measured at the same
    /// device, image size and batch size.</summary>
    /// <param name="trainImages">The study's training and validation split sizes, when known: they turn the baselines'
    /// epoch seconds into a validation pass's cost (else the default share stays).</param>
    public static Throughput? Of(StudyDetails study, int? trainImages = null, int? validationImages = null)
    {
        var teacher = study.Teachers.SelectMany(t => t.History ?? []).ToList();
        var scratch = study.Baseline.SelectMany(b => b.History).ToList();
        if (teacher.Count == 0 || scratch.Count == 0) return null;
        var distilled = study.Trials.SelectMany(t => t.History).ToList();
        var speed = new Throughput(Mean(teacher), Mean(scratch)) { DistilledImagesPerSecond = distilled.Count > 0 ? Mean(distilled) : null };
        if (trainImages is not > 0 || validationImages is not > 0) return speed;
        // An epoch's seconds include its validation; its images per second count training only (as RunFigures).
        double share = scratch.Average(e => (e.Seconds - trainImages.Value / e.ImagesPerSecond) / validationImages.Value * e.ImagesPerSecond);
        return speed with { EvaluationShare = Math.Clamp(share, 0.02, 1) };
    }

    private static double Mean(List<EpochMetrics> epochs) => epochs.Average(e => e.ImagesPerSecond);
}
