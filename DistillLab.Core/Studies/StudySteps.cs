using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Models;
using DistillLab.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillLab.Core.Studies;

/// <summary>The parts of a study that can run apart: a seed's teacher (trained, or loaded) and its training-set logits,
/// the seed's baseline, one trial given those logits, and the confirm step. <see cref="StudyRunner"/> calls them in
/// order in one process; the postgres job engine calls each in a job of its own on any worker. Each part seeds torch
/// itself, so it gives the same numbers wherever and after whatever it runs.</summary>
/// <remarks>Reports the run events of the model it trains (PhaseStarted, BatchProgress, EpochCompleted) through
/// <paramref name="onEvent"/>; the study events (TrialStarted, TrialCompleted, …) are the caller's, who knows the order.</remarks>
public sealed class StudySteps(StudyConfig config, LabData data, Device device, Action<LabEvent> onEvent, CancellationToken cancellationToken)
{
    private readonly Trainer trainer = new(device, onEvent, cancellationToken);

    public StudyConfig Config => config;
    public LabData Data => data;
    public Device Device => device;

    /// <summary>What the study's models were trained on: a checkpoint recording anything else belongs to another study.</summary>
    public TrainingProvenance TrainedOn { get; } = SavedModelCheck.Of(config.Base, data);

    private ModelSpec StudentSpec => new(ModelKind.Student, data.ImageSize, data.Channels, data.Classes.Count);

    /// <summary>Trains the seed's teacher from the seed's weights (<see cref="LabConfig.TeacherEpochs"/> epochs).</summary>
    public TeacherNet TrainTeacher(int seed)
    {
        Seed(seed);
        var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, data.ImageSize, data.Channels, data.Classes.Count));
        teacher.to(device);
        trainer.Fit(teacher, ModelRole.Teacher, data.Train, data.Validation, Options(config.Base.TeacherEpochs, seed));
        return teacher;
    }

    /// <summary>A teacher someone else trained (a run's or another study's), checked as lab --teacher checks it: it must
    /// fit, and must have been trained on this study's split.</summary>
    public TeacherNet LoadHandedTeacher(string path)
    {
        var check = config.Base with { TeacherPath = path, TeacherEpochs = 0 };
        SavedModelCheck.BeforeLoading(check, data.ImageSize);
        SavedModelCheck.AfterLoading(check, data);
        return LoadTeacher(path);
    }

    /// <summary>A teacher checkpoint, on the study's device.</summary>
    public TeacherNet LoadTeacher(string path)
    {
        var teacher = ModelCheckpoint.LoadTeacher(path);
        teacher.to(device);
        return teacher;
    }

    /// <summary>The teacher's logits for every training image, which each trial of its seed reads.</summary>
    public TeacherLogits Logits(TeacherNet teacher) => TeacherLogits.Compute(teacher, data.Train, config.Base.BatchSize, device, cancellationToken);

    /// <summary>Trains and tests the seed's scratch student. Its test figure is its own, like the teacher's; choosing a
    /// setting never reads it.</summary>
    public BaselineResult Baseline(int seed)
    {
        Seed(seed);
        using var scratch = new StudentNet(StudentSpec);
        scratch.to(device);
        var history = trainer.Fit(scratch, ModelRole.StudentScratch, data.Train, data.Validation, Options(config.Base.StudentEpochs, seed));
        return new BaselineResult(seed, history[^1].ValAccuracy, Test(scratch), history);
    }

    /// <summary>Trains one distilled student from the seed's weights on the seed's teacher logits.</summary>
    /// <param name="goOn">Asked after each epoch with (epoch, validation accuracy): false stops the trial there, pruned.
    /// Null: every epoch runs.</param>
    /// <returns>The result and, for a completed trial, its student (the caller's to dispose). A cancelled trial comes back
    /// with status Cancelled (the epochs it finished) and no student: the caller decides what cancelling means.</returns>
    public TrialOutcome Trial(TrialKey key, TeacherLogits logits, Func<int, double, bool>? goOn = null)
    {
        var history = new List<EpochMetrics>();
        var status = TrialStatus.Completed;
        string? error = null;
        Seed(key.Seed);
        var student = new StudentNet(StudentSpec);
        student.to(device);
        bool pruned = false;
        try
        {
            var distiller = new Distiller(logits, student, key.Alpha, key.Temperature, key.ScaleByTemperatureSquared);
            trainer.Fit(student, ModelRole.StudentDistilled, data.Train, data.Validation, Options(config.Base.StudentEpochs, key.Seed),
                distiller.Step, metrics =>
                {
                    history.Add(metrics);
                    pruned = goOn is not null && !goOn(metrics.Epoch, metrics.ValAccuracy);
                    return !pruned;
                });
            if (pruned) status = TrialStatus.Pruned;
        }
        catch (TrainingDivergedException e)
        {
            (status, error) = (TrialStatus.Failed, e.Message);
        }
        catch (OperationCanceledException)
        {
            status = TrialStatus.Cancelled;
        }
        if (status != TrialStatus.Completed)
        {
            // Only completed students take part in the confirm step.
            student.Dispose();
            student = null;
        }
        var result = new TrialResult(key.Alpha, key.Temperature, key.ScaleByTemperatureSquared, key.Seed, status, history.Count,
            history.Count > 0 ? history[^1].ValAccuracy : null, history, error);
        return new TrialOutcome(result, student);
    }

    /// <summary>A finished trial's student trained again, without events: the same seed, batch order and logits give the
    /// same weights (a confirm step whose checkpoint is gone).</summary>
    public StudentNet Retrain(TrialKey key, TeacherLogits logits)
    {
        Seed(key.Seed);
        var student = new StudentNet(StudentSpec);
        student.to(device);
        new Trainer(device, _ => { }, cancellationToken).Fit(student, ModelRole.StudentDistilled, data.Train, data.Validation,
            Options(config.Base.StudentEpochs, key.Seed), new Distiller(logits, student, key.Alpha, key.Temperature, key.ScaleByTemperatureSquared).Step);
        return student;
    }

    /// <summary>The best setting's students and the baselines on the test split, seed by seed in the study's seed order:
    /// the only test figures of distilled students a study computes.</summary>
    /// <param name="studentOf">The best setting's completed student of a seed (owned by the caller).</param>
    /// <param name="keep">Given each of those students with its export description (may be null).</param>
    public BestSetting Confirm(StudySetting best, IReadOnlyList<BaselineResult> baselines, Func<TrialKey, StudentNet> studentOf, Action<BestStudent>? keep)
    {
        var seeds = config.SeedList();
        var distilled = new List<double>();
        foreach (int seed in seeds)
        {
            var key = best.On(seed);
            var student = studentOf(key);
            distilled.Add(Test(student));
            keep?.Invoke(new BestStudent(seed, student, BestStudents.Metadata(config, data, key)));
        }
        var scratch = seeds.Select(s => baselines.Single(b => b.Seed == s).TestAccuracy).ToList();
        var paired = PairedComparison.Of(distilled, scratch);
        return new BestSetting(best.Alpha, best.Temperature, best.ScaleByTemperatureSquared,
            new ConfirmedOnTest(distilled, scratch, paired.Mean, [paired.Ci95Low, paired.Ci95High], paired.PValue),
            StudyVerdict.Sentence(best, paired));
    }

    /// <summary>The study's trials in its order (seed by seed, settings in sampler order), the settings' validation
    /// summaries, and the setting chosen on validation (null when none completed on every seed).</summary>
    public static (IReadOnlyList<TrialResult> Ordered, IReadOnlyList<SettingSummary> Settings, StudySetting? Best) Select(
        StudyConfig config, IReadOnlyDictionary<TrialKey, TrialResult> trials, IEnumerable<BaselineResult> baselines)
    {
        var settings = StudySampler.Settings(config);
        var seeds = config.SeedList();
        var ordered = seeds.SelectMany(seed => settings.Select(s => trials[s.On(seed)])).ToList();
        var summaries = StudySelection.Summarize(settings, ordered, baselines);
        return (ordered, summaries, StudySelection.Best(summaries, seeds.Count)?.Setting);
    }

    /// <summary>A model's accuracy on the test split.</summary>
    public double Test(nn.Module<Tensor, Tensor> model) => trainer.Evaluate(model, data.Test, config.Base.BatchSize).Accuracy;

    private TrainingOptions Options(int epochs, int seed) =>
        new(epochs, config.Base.BatchSize, config.Base.LearningRate, seed, config.Base.AdamEpsilon);

    private void Seed(int seed)
    {
        torch.manual_seed(seed);
        if (device.type == DeviceType.CUDA) torch.cuda.manual_seed_all(seed);
    }
}

/// <summary>A trial's result and, when it completed, its student (the caller's to dispose).</summary>
public sealed record TrialOutcome(TrialResult Result, StudentNet? Student);
