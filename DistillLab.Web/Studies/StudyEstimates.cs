using DistillLab.Core.Studies;
using DistillLab.Web.Estimates;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Studies;

/// <summary>How long a study will take, from the same measured speeds as a run's estimate (RunEstimates).</summary>
/// <param name="TeachersToTrain">Seeds whose teacher is trained (the others reuse a kept one).</param>
/// <param name="Pruned">With halving the study takes less: the total is what it takes if no trial is stopped.</param>
public sealed record StudyDurationEstimate(TimeSpan Total, int TeachersToTrain, int Seeds, long Trials, bool Pruned, DurationEstimate Run);

public sealed record StudyEstimateAnswer(StudyDurationEstimate? Estimate, string? Pending, Task? Measuring = null);

/// <summary>A study's duration: per seed a teacher (unless kept) and a scratch student, each trial one distilled
/// student, which with the teacher's logits cached costs about a scratch student (docs/benchmarks.md), and the data
/// loaded once.</summary>
public sealed class StudyEstimates(RunEstimates runs, StudyTeacherLookup teachers)
{
    public StudyEstimateAnswer Estimate(StudyConfig config, int poolImages)
    {
        // The run estimate of the base config, training every model: its phases are the study's building blocks.
        var answer = runs.Estimate(new RunRequest(config.Base, ReuseTeacher: false), poolImages);
        if (answer.Estimate is not { } run) return new(null, answer.Pending, answer.Measuring);
        var seeds = config.SeedList();
        int trained = seeds.Count(seed => !teachers.Has(config, seed));
        long trials = config.TrialCount();
        var phases = run.Phases;
        var total = run.Loading + run.Finishing
                    + phases.Teacher * trained + phases.Scratch * seeds.Count + phases.Scratch * trials
                    // A run's distilled phase is the teacher's pass over the training images (its logits) plus scratch-speed
                    // epochs; a study makes that pass once per seed.
                    + (phases.Distilled - phases.Scratch) * seeds.Count;
        return new(new StudyDurationEstimate(total, trained, seeds.Count, trials, config.Pruning == "halving", run), null);
    }
}
