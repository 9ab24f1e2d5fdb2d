using DistillLab.Core.Data.Synthetic;
using DistillLab.Core.Export;
using DistillLab.Core.Models;
using TorchSharp;
using DistillLab.Core.Studies;
using DistillLab.Core.Training;
using DistillLab.Web.Studies;

namespace DistillLab.Tests.Support;

/// <summary>A stand-in for Core's study runner: walks the study's seeds and trials in the runner's order, reporting
/// the same callbacks and run events with made-up accuracies (a function of α, T and seed), and can hold after a
/// number of finished trials so a test can cancel it or stop the server mid-study.</summary>
public sealed class ScriptedStudyEngine(int batches = 2, int batchMilliseconds = 5) : IStudyEngine
{
    /// <summary>Hold once this many trials have finished in this engine's runs, until <see cref="Release"/>.</summary>
    public int? HoldAfterTrials { get; set; }
    public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim release = new(0);
    public void Release() => release.Release();

    /// <summary>The trials this engine trained, in order; teachers trained and reused, per seed.</summary>
    public List<TrialKey> Trained { get; } = [];
    public List<int> TeachersTrained { get; } = [];
    public List<int> TeachersReused { get; } = [];
    /// <summary>End as a study whose every setting was pruned or failed: no best setting, no best students.</summary>
    public bool WithoutBest { get; set; }

    /// <summary>Made-up validation accuracy of a trial: the same on every run, so a study is deterministic.</summary>
    public static double ValAccuracy(TrialKey k) => 0.6 + 0.2 * k.Alpha + 0.01 * k.Temperature + 0.001 * (k.Seed % 7);
    public static double BaselineAccuracy(int seed) => 0.62 + 0.001 * (seed % 5);

    public StudyOutcome Run(StudyConfig config, StudyFinishedParts done, StudyCallbacks callbacks, CancellationToken cancellationToken)
    {
        var trials = StudySampler.Trials(config);
        foreach (var seed in config.SeedList())
        {
            if (done.Teachers.All(t => t.Seed != seed))
            {
                if (callbacks.ReusableTeacher(seed) is { } kept)
                {
                    TeachersReused.Add(seed);
                    callbacks.TeacherReady(new StudyTeacher(seed, 0.9, true, kept.OriginRunId, kept.History));
                }
                else
                {
                    var history = Train(seed, ModelRole.Teacher, null, config.Base.TeacherEpochs, 0.85, callbacks, cancellationToken);
                    using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, 46));
                    Directory.CreateDirectory(callbacks.WorkFolder);
                    ModelCheckpoint.Save(teacher, teacher.Spec, Path.Combine(callbacks.WorkFolder, $"teacher-seed{seed}.ckpt"),
                        new TrainingProvenance(config.Base.Data, null, config.Base.Limit, 100, config.Base.Seed, "80/10/10", 46, null));
                    TeachersTrained.Add(seed);
                    callbacks.TeacherReady(new StudyTeacher(seed, 0.9, false, null, history));
                }
            }
            if (done.Baseline.All(b => b.Seed != seed))
            {
                var history = Train(seed, ModelRole.StudentScratch, null, config.Base.StudentEpochs, BaselineAccuracy(seed), callbacks, cancellationToken);
                callbacks.BaselineCompleted(new BaselineResult(seed, BaselineAccuracy(seed), 0.6, history));
            }
            foreach (var key in trials.Where(t => t.Seed == seed))
            {
                if (done.Trials.Any(t => t.Key == key)) continue;
                callbacks.TrialStarted(key);
                var history = Train(seed, ModelRole.StudentDistilled, key, config.Base.StudentEpochs, ValAccuracy(key), callbacks, cancellationToken);
                Trained.Add(key);
                callbacks.TrialFinished(new TrialResult(key.Alpha, key.Temperature, key.ScaleByTemperatureSquared, key.Seed, TrialStatus.Completed,
                    history.Count, ValAccuracy(key), history));
                if (Trained.Count == HoldAfterTrials)
                {
                    Held.TrySetResult();
                    while (!release.Wait(20, CancellationToken.None)) cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }
        var best = WithoutBest ? null : Best(config, done);
        if (best is not null)
            foreach (var seed in config.SeedList())
            {
                // As the runner's confirm step: each seed's best student goes to the callback (untrained, seeded weights).
                var key = new TrialKey(best.Alpha, best.Temperature, best.ScaleByTemperatureSquared, seed);
                torch.manual_seed(seed);
                using var student = new StudentNet(new ModelSpec(ModelKind.Student, 46));
                callbacks.BestStudent(new BestStudent(seed, student, new ExportMetadata(SyntheticCatsDogs.Classes)
                {
                    Role = "studentDistilled", Seed = seed, Data = config.Base.Data,
                    Alpha = key.Alpha, Temperature = key.Temperature, ScaleByTemperatureSquared = key.ScaleByTemperatureSquared,
                }));
            }
        return new StudyOutcome(best, 1.5);
    }

    private List<EpochMetrics> Train(int seed, ModelRole role, TrialKey? trial, int epochs, double valAccuracy, StudyCallbacks callbacks, CancellationToken cancellationToken)
    {
        callbacks.ModelEvent(seed, trial, new PhaseStarted(role, epochs, batches, 1000));
        var history = new List<EpochMetrics>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            for (int batch = 1; batch <= batches; batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Thread.Sleep(batchMilliseconds);
                callbacks.ModelEvent(seed, trial, new BatchProgress(role, epoch, epochs, batch, batches, 0.5));
            }
            var metrics = new EpochMetrics(epoch, valAccuracy, 0.5, epoch == epochs ? valAccuracy : valAccuracy - 0.05, 0.5, 0.1, 100);
            history.Add(metrics);
            callbacks.ModelEvent(seed, trial, new EpochCompleted(role, metrics));
        }
        return history;
    }

    /// <summary>The setting with the largest mean validation gain (Core's choice), "confirmed" with made-up test figures.</summary>
    private static BestSetting? Best(StudyConfig config, StudyFinishedParts done)
    {
        var trials = StudySampler.Trials(config).Select(k => new TrialResult(k.Alpha, k.Temperature, k.ScaleByTemperatureSquared, k.Seed,
            TrialStatus.Completed, 1, ValAccuracy(k), [])).ToList();
        var baseline = config.SeedList().Select(s => new BaselineResult(s, BaselineAccuracy(s), 0.6, [])).ToList();
        var best = StudySelection.Best(StudySelection.Summarize(StudySampler.Settings(config), trials, baseline), config.Seeds);
        if (best is null) return null;
        var seeds = config.SeedList();
        var distilled = seeds.Select(s => 0.63 + 0.001 * (s % 2)).ToList(); // +3.0 and +3.1 points: "helps" even over 2 seeds
        var scratch = seeds.Select(_ => 0.6).ToList();
        var test = PairedComparison.Of(distilled, scratch);
        var setting = new StudySetting(best.Alpha, best.Temperature, best.ScaleByTemperatureSquared);
        return new BestSetting(best.Alpha, best.Temperature, best.ScaleByTemperatureSquared,
            new ConfirmedOnTest(distilled, scratch, test.Mean, [test.Ci95Low, test.Ci95High], test.PValue), StudyVerdict.Sentence(setting, test));
    }
}
