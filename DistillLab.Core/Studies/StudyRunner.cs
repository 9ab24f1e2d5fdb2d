using System.Diagnostics;
using System.Globalization;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Models;
using DistillLab.Core.Runtime;
using DistillLab.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillLab.Core.Studies;

/// <summary>Runs a study: load the data once; per seed a teacher (trained once, or reused), its logits cached, a
/// scratch baseline, then the trials the sampler picks; choose the best setting on validation; confirm it on test.</summary>
/// <remarks>Runs synchronously on the calling thread, like <see cref="LabRunner"/>. Students of a seed all start from the
/// seed's weights and see the seed's batch order, so each trial is paired with its seed's baseline. The test split is
/// read for teachers and baselines (their own figures) and, once every trial is done, for the best setting's students
/// only: no other setting's test accuracy is ever computed. docs/studies.md has the protocol.</remarks>
public sealed class StudyRunner(LabEnvironment environment)
{
    /// <summary>The name of a finished trial's checkpoint in the work folder (kept for a resume's confirm step).</summary>
    public static string StudentFileName(TrialKey key) => string.Create(CultureInfo.InvariantCulture,
        $"student-a{key.Alpha:R}-t{key.Temperature:R}-{(key.ScaleByTemperatureSquared ? "t2" : "plain")}-seed{key.Seed}.ckpt");

    /// <exception cref="InvalidStudyConfigException">The config is invalid; nothing was started.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; honoured within one batch.</exception>
    public StudyResult Run(StudyConfig config, StudyInputs inputs, Action<LabEvent> onEvent, CancellationToken cancellationToken)
    {
        var errors = config.Validate();
        if (errors.Count > 0) throw new InvalidStudyConfigException(errors);
        var device = TorchRuntime.ResolveDevice(config.Base.Device);
        int imageSize = config.Base.ImageSize ?? TorchRuntime.DefaultImageSize(device);
        var clock = Stopwatch.StartNew();
        var b = config.Base;
        var data = DataLoader.Load(new DataRequest(b.Data, imageSize, b.Limit, b.Seed, environment, ResizeMethods.Parse(b.Resize), b.UsesTfdsSplit()),
            onEvent, cancellationToken);
        return Run(config, data, device, inputs, onEvent, cancellationToken, clock);
    }

    /// <summary>Runs the study on data already in memory (tests).</summary>
    public StudyResult Run(StudyConfig config, LabData data, Device device, StudyInputs inputs, Action<LabEvent> onEvent,
        CancellationToken cancellationToken, Stopwatch? clock = null)
    {
        var errors = config.Validate();
        if (errors.Count > 0) throw new InvalidStudyConfigException(errors);
        clock ??= Stopwatch.StartNew();
        string deviceName = device.type == DeviceType.CUDA ? "cuda" : "cpu";
        onEvent(new DataLoaded(new DataSummary(data.Source, data.Classes, data.Train.Count, data.Validation.Count, data.Test.Count, data.Skipped),
            deviceName, data.ImageSize));
        using var study = new Study(config, data, device, inputs, onEvent, cancellationToken);
        var result = study.Run() with
        {
            // As lab --out: what "default" meant, resolved.
            Config = config with { Base = config.Base with { ImageSize = data.ImageSize, Device = deviceName, Resize = SavedModelCheck.ResizeName(config.Base), Split = config.Base.Split ?? "seeded" } },
            TotalSeconds = clock.Elapsed.TotalSeconds,
        };
        onEvent(new StudyCompleted(result));
        return result;
    }

    /// <summary>One study's state while it runs; owns the students it keeps for the confirm step.</summary>
    private sealed class Study(StudyConfig config, LabData data, Device device, StudyInputs inputs, Action<LabEvent> onEvent,
        CancellationToken cancellationToken) : IDisposable
    {
        private readonly Trainer trainer = new(device, onEvent, cancellationToken);
        private readonly IReadOnlyList<StudySetting> settings = StudySampler.Settings(config);
        private readonly IReadOnlyList<int> seeds = config.SeedList();
        private readonly Dictionary<TrialKey, StudentNet> students = [];
        private readonly Dictionary<TrialKey, TrialResult> trials = inputs.Trials.Where(t => t.Finished).ToDictionary(t => t.Key);
        private readonly Dictionary<int, TeacherResult> teachers = inputs.Teachers.ToDictionary(t => t.Seed);
        private readonly Dictionary<int, BaselineResult> baselines = inputs.Baseline.ToDictionary(b => b.Seed);
        private readonly HalvingPruner? pruner = config.Pruning == "halving" ? new HalvingPruner(config.Base.StudentEpochs) : null;
        private readonly TrainingProvenance trainedOn = SavedModelCheck.Of(config.Base, data);
        private ModelSpec StudentSpec => new(ModelKind.Student, data.ImageSize, data.Channels, data.Classes.Count);

        public StudyResult Run()
        {
            int total = settings.Count * seeds.Count, number = 0;
            for (int i = 0; i < seeds.Count; i++)
            {
                int seed = seeds[i];
                onEvent(new SeedStarted(seed, i + 1, seeds.Count));
                // Finished trials' curves first, in the order they ran, so pruning decides as an uninterrupted study would.
                foreach (var setting in settings)
                    if (pruner is not null && trials.TryGetValue(setting.On(seed), out var done))
                        pruner.Replay(seed, done.History.Select(e => e.ValAccuracy).ToList());
                var remaining = settings.Where(s => !trials.ContainsKey(s.On(seed))).ToList();
                number += settings.Count - remaining.Count;

                TeacherNet? teacher = null;
                try
                {
                    if (remaining.Count > 0 || !teachers.ContainsKey(seed))
                        teacher = Teacher(seed);
                    if (!baselines.ContainsKey(seed))
                        Baseline(seed);
                    if (remaining.Count == 0) continue;
                    using var logits = TeacherLogits.Compute(teacher!, data.Train, config.Base.BatchSize, device, cancellationToken);
                    foreach (var setting in remaining)
                        Trial(setting.On(seed), logits, ++number, total);
                }
                finally
                {
                    teacher?.Dispose();
                }
            }

            var ordered = seeds.SelectMany(seed => settings.Select(s => trials[s.On(seed)])).ToList();
            var summaries = StudySelection.Summarize(settings, ordered, baselines.Values);
            var best = StudySelection.Best(summaries, seeds.Count) is { } chosen ? Confirm(chosen.Setting) : null;
            return new StudyResult(config,
                seeds.Where(teachers.ContainsKey).Select(s => teachers[s]).ToList(),
                seeds.Where(baselines.ContainsKey).Select(s => baselines[s]).ToList(),
                ordered, summaries, best, 0);
        }

        /// <summary>The seed's teacher: the caller's saved one, else this study's own from its work folder, else trained.</summary>
        private TeacherNet Teacher(int seed)
        {
            string? ownPath = inputs.WorkFolder is { } folder ? Path.Combine(folder, $"teacher-seed{seed}.ckpt") : null;
            string? handed = inputs.TeacherFor?.Invoke(seed);
            TeacherNet teacher;
            if (handed is not null)
            {
                // The same check as lab --teacher: it must fit, and must have been trained on this study's split.
                var check = config.Base with { TeacherPath = handed, TeacherEpochs = 0 };
                SavedModelCheck.BeforeLoading(check, data.ImageSize);
                SavedModelCheck.AfterLoading(check, data);
                teacher = ModelCheckpoint.LoadTeacher(handed);
            }
            else if (Own(ownPath) is { } own)
                teacher = ModelCheckpoint.LoadTeacher(own);
            else
            {
                Seed(seed);
                teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, data.ImageSize, data.Channels, data.Classes.Count));
                teacher.to(device);
                trainer.Fit(teacher, ModelRole.Teacher, data.Train, data.Validation, Options(config.Base.TeacherEpochs, seed));
                if (ownPath is not null)
                {
                    Directory.CreateDirectory(inputs.WorkFolder!);
                    ModelCheckpoint.Save(teacher, teacher.Spec, ownPath, trainedOn);
                }
            }
            teacher.to(device);
            if (!teachers.ContainsKey(seed))
            {
                // Reused means not trained by this study: a teacher it saved to its own folder before a restart is its own.
                teachers[seed] = new TeacherResult(seed, Test(teacher), Reused: handed is not null);
                onEvent(new TeacherReady(teachers[seed]));
            }
            return teacher;
        }

        private void Baseline(int seed)
        {
            Seed(seed);
            using var scratch = new StudentNet(StudentSpec);
            scratch.to(device);
            var history = trainer.Fit(scratch, ModelRole.StudentScratch, data.Train, data.Validation, Options(config.Base.StudentEpochs, seed));
            // The baseline's test figure is its own, like the teacher's; choosing a setting never reads it.
            baselines[seed] = new BaselineResult(seed, history[^1].ValAccuracy, Test(scratch), history);
            onEvent(new BaselineCompleted(baselines[seed]));
        }

        private void Trial(TrialKey key, TeacherLogits logits, int number, int total)
        {
            onEvent(new TrialStarted(key, number, total));
            var history = new List<EpochMetrics>();
            TrialResult Result(TrialStatus status, string? error = null) => new(key.Alpha, key.Temperature, key.ScaleByTemperatureSquared, key.Seed,
                status, history.Count, history.Count > 0 ? history[^1].ValAccuracy : null, history.ToList(), error);

            var student = Student(key, logits, history, out var status, out var error);
            if (status == TrialStatus.Cancelled)
            {
                onEvent(new TrialCancelled(Result(status)));
                throw new OperationCanceledException(cancellationToken);
            }
            var result = trials[key] = Result(status, error);
            if (status == TrialStatus.Completed)
            {
                students[key] = student!;
                if (inputs.WorkFolder is { } folder)
                {
                    Directory.CreateDirectory(folder);
                    ModelCheckpoint.Save(student!, student!.Spec, StudentPath(folder, key), trainedOn);
                }
            }
            else student?.Dispose();
            onEvent(status switch
            {
                TrialStatus.Completed => new TrialCompleted(result),
                TrialStatus.Pruned => new TrialPruned(result),
                _ => new TrialFailed(result),
            });
        }

        /// <summary>Trains one distilled student from the seed's weights; stops at a rung when pruned.</summary>
        private StudentNet? Student(TrialKey key, TeacherLogits logits, List<EpochMetrics> history, out TrialStatus status, out string? error)
        {
            status = TrialStatus.Completed;
            error = null;
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
                        pruned = pruner is not null && !pruner.Continue(key.Seed, metrics.Epoch, metrics.ValAccuracy);
                        return !pruned;
                    });
                if (pruned) status = TrialStatus.Pruned;
                return student;
            }
            catch (TrainingDivergedException e)
            {
                status = TrialStatus.Failed;
                error = e.Message;
            }
            catch (OperationCanceledException)
            {
                status = TrialStatus.Cancelled;
            }
            student.Dispose();
            return null;
        }

        /// <summary>The best setting's students and the baselines on the test split, seed by seed.</summary>
        private BestSetting Confirm(StudySetting best)
        {
            var distilled = new List<double>();
            foreach (int seed in seeds)
            {
                var key = best.On(seed);
                var student = students.GetValueOrDefault(key) ?? Reload(key);
                distilled.Add(Test(student));
                inputs.BestStudent?.Invoke(new BestStudent(seed, student, BestStudents.Metadata(config, data, key)));
            }
            var scratch = seeds.Select(s => baselines[s].TestAccuracy).ToList();
            var paired = PairedComparison.Of(distilled, scratch);
            return new BestSetting(best.Alpha, best.Temperature, best.ScaleByTemperatureSquared,
                new ConfirmedOnTest(distilled, scratch, paired.Mean, [paired.Ci95Low, paired.Ci95High], paired.PValue),
                StudyVerdict.Sentence(best, paired));
        }

        /// <summary>A student that finished before a restart: from the work folder, or trained again without events (the
        /// same seed, order and cached logits give the same weights; the resume tests check that).</summary>
        private StudentNet Reload(TrialKey key)
        {
            if (inputs.WorkFolder is { } folder && Own(StudentPath(folder, key)) is { } path)
            {
                var saved = ModelCheckpoint.LoadStudent(path);
                saved.to(device);
                return students[key] = saved;
            }
            using var teacher = Teacher(key.Seed);
            using var logits = TeacherLogits.Compute(teacher, data.Train, config.Base.BatchSize, device, cancellationToken);
            Seed(key.Seed);
            var student = new StudentNet(StudentSpec);
            student.to(device);
            new Trainer(device, _ => { }, cancellationToken).Fit(student, ModelRole.StudentDistilled, data.Train, data.Validation,
                Options(config.Base.StudentEpochs, key.Seed), new Distiller(logits, student, key.Alpha, key.Temperature, key.ScaleByTemperatureSquared).Step);
            return students[key] = student;
        }

        /// <summary>A checkpoint of this study's own work folder, when it is there and was trained on this study's data.</summary>
        /// <exception cref="InvalidOperationException">The file records other data: the folder holds another study's models.</exception>
        private string? Own(string? path)
        {
            if (path is null || !File.Exists(path)) return null;
            if (ModelCheckpoint.ReadHeader(path).TrainedOn != trainedOn)
                throw new InvalidOperationException($"The work folder's '{path}' was trained on other data than this study's " +
                                                    "(another data source, size, limit or seed): use another work folder for this study.");
            return path;
        }

        private double Test(nn.Module<Tensor, Tensor> model) => trainer.Evaluate(model, data.Test, config.Base.BatchSize).Accuracy;

        private TrainingOptions Options(int epochs, int seed) =>
            new(epochs, config.Base.BatchSize, config.Base.LearningRate, seed, config.Base.AdamEpsilon);

        private static string StudentPath(string folder, TrialKey key) => Path.Combine(folder, StudentFileName(key));

        private void Seed(int seed)
        {
            torch.manual_seed(seed);
            if (device.type == DeviceType.CUDA) torch.cuda.manual_seed_all(seed);
        }

        public void Dispose()
        {
            foreach (var student in students.Values) student.Dispose();
        }
    }
}
