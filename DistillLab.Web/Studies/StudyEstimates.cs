using System.Collections.Concurrent;
using DistillLab.Core.Data;
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
/// <remarks>Speeds come first from the newest completed study at the same device, image size and batch size (its own
/// teachers', baselines' and trials' epochs), else as a run's estimate gets them: a completed run's epochs, else a few
/// steps measured here. A measurement right after the process starts ran about 4 times slower than the study it
/// estimated (docs/studies-dashboard.md), so a study's own epochs are worth more.</remarks>
public sealed class StudyEstimates(RunEstimates runs, StudyTeacherLookup teachers, StudyRegistry studies)
{
    // A completed study never changes: its entries are read once.
    private readonly ConcurrentDictionary<string, StudyDetails?> completed = new();

    public StudyEstimateAnswer Estimate(StudyConfig config, int poolImages)
    {
        // The run estimate of the base config, training every model: its phases are the study's building blocks.
        var answer = runs.Estimate(new RunRequest(config.Base, ReuseTeacher: false), poolImages, FromStudies(config, poolImages));
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

    /// <summary>The speeds of the newest completed study at the config's device, image size and batch size; null when none.</summary>
    private KnownSpeed? FromStudies(StudyConfig config, int poolImages)
    {
        if (!RunEstimates.TryKey(config.Base, out var key, out _)) return null;
        foreach (var listed in studies.Store.List())
        {
            if (listed.Status != StudyStatus.Completed || !RunEstimates.TryKey(listed.Config.Base, out var other, out _) || other != key) continue;
            if (completed.GetOrAdd(listed.Id, id => studies.Store.Load(id)) is not { } study) continue;
            // The split sizes are known for a study of the same data source: they size its validation passes.
            var (train, validation, _) = study.Config.Base.Data == config.Base.Data
                ? PoolSplit.For(config.Base.Data).SizesOf(Math.Min(study.Config.Base.Limit ?? int.MaxValue, poolImages)) : (0, 0, 0);
            if (StudySpeeds.Of(study, train, validation) is { } speed) return new KnownSpeed(speed, $"study {study.Id}'s epochs");
        }
        return null;
    }
}
