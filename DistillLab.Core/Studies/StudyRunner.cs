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
        var clock = Stopwatch.StartNew();
        var (data, device) = LoadData(config, environment, onEvent, cancellationToken);
        return Run(config, data, device, inputs, onEvent, cancellationToken, clock);
    }

    /// <summary>The study's data (its base seed's split) and the device it trains on: what every part of it reads.</summary>
    public static (LabData Data, Device Device) LoadData(StudyConfig config, LabEnvironment environment, Action<LabEvent> onEvent,
        CancellationToken cancellationToken)
    {
        var device = TorchRuntime.ResolveDevice(config.Base.Device);
        var b = config.Base;
        int imageSize = b.ImageSize ?? TorchRuntime.DefaultImageSize(device);
        var data = DataLoader.Load(new DataRequest(b.Data, imageSize, b.Limit, b.Seed, environment, ResizeMethods.Parse(b.Resize), b.UsesTfdsSplit()),
            onEvent, cancellationToken);
        return (data, device);
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

    /// <summary>One study's state while it runs: the order of <see cref="StudySteps"/> in one process, what finished
    /// before a restart, and the students it keeps for the confirm step.</summary>
    private sealed class Study(StudyConfig config, LabData data, Device device, StudyInputs inputs, Action<LabEvent> onEvent,
        CancellationToken cancellationToken) : IDisposable
    {
        private readonly StudySteps steps = new(config, data, device, onEvent, cancellationToken);
        private readonly IReadOnlyList<StudySetting> settings = StudySampler.Settings(config);
        private readonly IReadOnlyList<int> seeds = config.SeedList();
        private readonly Dictionary<TrialKey, StudentNet> students = [];
        private readonly Dictionary<TrialKey, TrialResult> trials = inputs.Trials.Where(t => t.Finished).ToDictionary(t => t.Key);
        private readonly Dictionary<int, TeacherResult> teachers = inputs.Teachers.ToDictionary(t => t.Seed);
        private readonly Dictionary<int, BaselineResult> baselines = inputs.Baseline.ToDictionary(b => b.Seed);
        private readonly HalvingPruner? pruner = config.Pruning == "halving" ? new HalvingPruner(config.Base.StudentEpochs) : null;

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
                    {
                        baselines[seed] = steps.Baseline(seed);
                        onEvent(new BaselineCompleted(baselines[seed]));
                    }
                    if (remaining.Count == 0) continue;
                    using var logits = steps.Logits(teacher!);
                    foreach (var setting in remaining)
                        Trial(setting.On(seed), logits, ++number, total);
                }
                finally
                {
                    teacher?.Dispose();
                }
            }

            var (ordered, summaries, best) = StudySteps.Select(config, trials, baselines.Values);
            var confirmed = best is { } chosen
                ? steps.Confirm(chosen, baselines.Values.ToList(), key => students.GetValueOrDefault(key) ?? Reload(key), inputs.BestStudent)
                : null;
            return new StudyResult(config,
                seeds.Where(teachers.ContainsKey).Select(s => teachers[s]).ToList(),
                seeds.Where(baselines.ContainsKey).Select(s => baselines[s]).ToList(),
                ordered, summaries, confirmed, 0);
        }

        /// <summary>The seed's teacher: the caller's saved one, else this study's own from its work folder, else trained.</summary>
        private TeacherNet Teacher(int seed)
        {
            string? ownPath = inputs.WorkFolder is { } folder ? Path.Combine(folder, $"teacher-seed{seed}.ckpt") : null;
            string? handed = inputs.TeacherFor?.Invoke(seed);
            TeacherNet teacher;
            if (handed is not null) teacher = steps.LoadHandedTeacher(handed);
            else if (Own(ownPath) is { } own) teacher = steps.LoadTeacher(own);
            else
            {
                teacher = steps.TrainTeacher(seed);
                if (ownPath is not null)
                {
                    Directory.CreateDirectory(inputs.WorkFolder!);
                    ModelCheckpoint.Save(teacher, teacher.Spec, ownPath, steps.TrainedOn);
                }
            }
            if (!teachers.ContainsKey(seed))
            {
                // Reused means not trained by this study: a teacher it saved to its own folder before a restart is its own.
                teachers[seed] = new TeacherResult(seed, steps.Test(teacher), Reused: handed is not null);
                onEvent(new TeacherReady(teachers[seed]));
            }
            return teacher;
        }

        private void Trial(TrialKey key, TeacherLogits logits, int number, int total)
        {
            onEvent(new TrialStarted(key, number, total));
            var (result, student) = steps.Trial(key, logits, pruner is null ? null : (epoch, accuracy) => pruner.Continue(key.Seed, epoch, accuracy));
            if (result.Status == TrialStatus.Cancelled)
            {
                onEvent(new TrialCancelled(result));
                throw new OperationCanceledException(cancellationToken);
            }
            trials[key] = result;
            if (student is not null)
            {
                students[key] = student;
                if (inputs.WorkFolder is { } folder)
                {
                    Directory.CreateDirectory(folder);
                    ModelCheckpoint.Save(student, student.Spec, StudentPath(folder, key), steps.TrainedOn);
                }
            }
            onEvent(result.Status switch
            {
                TrialStatus.Completed => new TrialCompleted(result),
                TrialStatus.Pruned => new TrialPruned(result),
                _ => new TrialFailed(result),
            });
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
            using var logits = steps.Logits(teacher);
            return students[key] = steps.Retrain(key, logits);
        }

        /// <summary>A checkpoint of this study's own work folder, when it is there and was trained on this study's data.</summary>
        /// <exception cref="InvalidOperationException">The file records other data: the folder holds another study's models.</exception>
        private string? Own(string? path)
        {
            if (path is null || !File.Exists(path)) return null;
            if (ModelCheckpoint.ReadHeader(path).TrainedOn != steps.TrainedOn)
                throw new InvalidOperationException($"The work folder's '{path}' was trained on other data than this study's " +
                                                    "(another data source, size, limit or seed): use another work folder for this study.");
            return path;
        }

        private static string StudentPath(string folder, TrialKey key) => Path.Combine(folder, StudentFileName(key));

        public void Dispose()
        {
            foreach (var student in students.Values) student.Dispose();
        }
    }
}
