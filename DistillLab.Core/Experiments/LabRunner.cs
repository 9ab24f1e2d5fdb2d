using System.Diagnostics;
using DistillLab.Core.Data;
using DistillLab.Core.Models;
using DistillLab.Core.Runtime;
using DistillLab.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillLab.Core.Experiments;

/// <summary>Where a run may read and write.</summary>
/// <param name="DataDirectory">DistillLab's own data folder: decode cache in cache/, downloaded Cats vs Dogs in cats_vs_dogs/.</param>
/// <param name="DataRoots">Folders that folder:/idx:/petimages: sources may point into; null allows any path (command line).</param>
public sealed record LabEnvironment(string DataDirectory, IReadOnlyList<string>? DataRoots = null)
{
    public string CacheDirectory => Path.Combine(DataDirectory, "cache");
    public string PetImagesDirectory => Path.Combine(DataDirectory, "cats_vs_dogs");
}

/// <summary>A run config that failed <see cref="LabConfig.Validate"/>.</summary>
public sealed class InvalidLabConfigException(IReadOnlyList<ConfigError> errors)
    : ArgumentException("Invalid lab settings: " + string.Join("; ", errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}

/// <summary>Runs the whole lab: load data, teacher, student from scratch, distilled student, test all three.
/// A saved teacher or scratch student (<see cref="LabConfig.TeacherPath"/>, <see cref="LabConfig.ScratchPath"/>) is tested, not trained.</summary>
public sealed class LabRunner(LabEnvironment environment)
{
    public LabEnvironment Environment { get; } = environment;

    /// <summary>Runs synchronously on the calling thread (TorchSharp dispose scopes are per thread).</summary>
    /// <exception cref="InvalidLabConfigException">The config is invalid; nothing was started.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; honoured within one batch.</exception>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite.</exception>
    public LabOutcome Run(LabConfig config, Action<LabEvent> onEvent, CancellationToken cancellationToken)
    {
        var errors = config.Validate();
        if (errors.Count > 0) throw new InvalidLabConfigException(errors);
        var device = TorchRuntime.ResolveDevice(config.Device);
        int imageSize = config.ImageSize ?? TorchRuntime.DefaultImageSize(device);
        // Checked before the data loads (which can take minutes), so a wrong file is refused at once.
        CheckSavedModels(config, imageSize, classes: null);

        var clock = Stopwatch.StartNew();
        var data = DataLoader.Load(new DataRequest(config.Data, imageSize, config.Limit, config.Seed, Environment, ResizeMethods.Parse(config.Resize), config.UsesTfdsSplit()),
            onEvent, cancellationToken);
        return Run(config, data, device, onEvent, cancellationToken, clock);
    }

    /// <summary>Runs the lab on data already in memory (tests, benchmarks).</summary>
    /// <exception cref="InvalidLabConfigException">A saved teacher or scratch student does not fit the data.</exception>
    public LabOutcome Run(LabConfig config, LabData data, Device device, Action<LabEvent> onEvent, CancellationToken cancellationToken, Stopwatch? clock = null)
    {
        CheckSavedModels(config, data.ImageSize, data.Classes.Count);
        clock ??= Stopwatch.StartNew();
        var summary = new DataSummary(data.Source, data.Classes, data.Train.Count, data.Validation.Count, data.Test.Count, data.Skipped);
        onEvent(new DataLoaded(summary, device.type == DeviceType.CUDA ? "cuda" : "cpu", data.ImageSize));

        var trainer = new Trainer(device, onEvent, cancellationToken);
        var options = new TrainingOptions(config.TeacherEpochs, config.BatchSize, config.LearningRate, config.Seed);
        var studentOptions = options with { Epochs = config.StudentEpochs };
        var studentSpec = new ModelSpec(ModelKind.Student, data.ImageSize, data.Channels, data.Classes.Count);

        TeacherNet? teacher = null;
        StudentNet? scratch = null, distilled = null;
        try
        {
            ModelResult teacherResult;
            if (config.TeacherPath is { } path)
            {
                teacher = ModelCheckpoint.LoadTeacher(path);
                teacher.to(device);
                teacherResult = Test(trainer, teacher, data, config, [], reused: true);
            }
            else
            {
                Seed(config.Seed, device);
                teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, data.ImageSize, data.Channels, data.Classes.Count));
                teacher.to(device);
                var history = trainer.Fit(teacher, ModelRole.Teacher, data.Train, data.Validation, options);
                teacherResult = Test(trainer, teacher, data, config, history, reused: false);
            }
            onEvent(new PhaseCompleted(ModelRole.Teacher, teacherResult));

            // Both students start from the same seeded weights and see batches in the same order,
            // so the only difference between them is the teacher's guidance.
            ModelResult scratchResult;
            if (config.ScratchPath is { } scratchPath)
            {
                scratch = ModelCheckpoint.LoadStudent(scratchPath);
                scratch.to(device);
                scratchResult = Test(trainer, scratch, data, config, [], reused: true);
            }
            else
            {
                Seed(config.Seed, device);
                scratch = new StudentNet(studentSpec);
                scratch.to(device);
                var scratchHistory = trainer.Fit(scratch, ModelRole.StudentScratch, data.Train, data.Validation, studentOptions);
                scratchResult = Test(trainer, scratch, data, config, scratchHistory, reused: false);
            }
            onEvent(new PhaseCompleted(ModelRole.StudentScratch, scratchResult));

            Seed(config.Seed, device);
            distilled = new StudentNet(studentSpec);
            distilled.to(device);
            var distiller = new Distiller(teacher, distilled, config.Alpha, config.Temperature, config.ScaleByTemperatureSquared);
            var distilledHistory = trainer.Fit(distilled, ModelRole.StudentDistilled, data.Train, data.Validation, studentOptions, distiller.Step);
            var distilledResult = Test(trainer, distilled, data, config, distilledHistory, reused: false);
            onEvent(new PhaseCompleted(ModelRole.StudentDistilled, distilledResult));

            var result = new LabResult(config, device.type == DeviceType.CUDA ? "cuda" : "cpu", data.ImageSize, summary,
                teacherResult, scratchResult, distilledResult, clock.Elapsed.TotalSeconds);
            return new LabOutcome(result, data, teacher, scratch, distilled);
        }
        catch
        {
            teacher?.Dispose();
            scratch?.Dispose();
            distilled?.Dispose();
            throw;
        }
    }

    private static ModelResult Test(Trainer trainer, nn.Module<Tensor, Tensor> model, LabData data, LabConfig config,
        IReadOnlyList<EpochMetrics> history, bool reused)
    {
        // The lab tests one image at a time; in eval mode (no dropout, no batch statistics) a model's
        // output for an image does not depend on its batch, so testing in batches gives the same numbers faster.
        var (accuracy, loss) = trainer.Evaluate(model, data.Test, config.BatchSize);
        return new ModelResult(Trainer.CountParameters(model), accuracy, loss, history, reused);
    }

    private static void CheckSavedModels(LabConfig config, int imageSize, int? classes)
    {
        if (config.TeacherPath is { } teacherPath) CheckCheckpoint("teacherPath", teacherPath, ModelKind.Teacher, imageSize, classes, config.Data);
        if (config.ScratchPath is { } scratchPath) CheckCheckpoint("scratchPath", scratchPath, ModelKind.Student, imageSize, classes, config.Data);
    }

    /// <summary>A saved model the config asks to reuse must exist, be of the right kind and fit this run's images and classes.</summary>
    private static void CheckCheckpoint(string field, string path, ModelKind kind, int imageSize, int? classes, string source)
    {
        ModelSpec spec;
        try { spec = ModelCheckpoint.ReadSpec(path); }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            throw new InvalidLabConfigException([new(field, e.Message)]);
        }
        string wanted = Describe(kind), held = Describe(spec.Kind);
        if (spec.Kind != kind)
            throw new InvalidLabConfigException([new(field, $"'{path}' holds a {held}, not a {wanted}.")]);
        if (spec.ImageSize != imageSize)
            throw new InvalidLabConfigException([new(field,
                $"'{path}' holds a {wanted} built for {spec.ImageSize} px images, but this run uses {imageSize} px. Use --image-size {spec.ImageSize} or train a new {wanted}.")]);
        if (classes is { } count && spec.Classes != count)
            throw new InvalidLabConfigException([new(field,
                $"'{path}' holds a {wanted} built for {spec.Classes} classes, but '{source}' has {count}.")]);
    }

    private static string Describe(ModelKind kind) => kind == ModelKind.Teacher ? "teacher" : "student";

    private static void Seed(int seed, Device device)
    {
        torch.manual_seed(seed);
        if (device.type == DeviceType.CUDA) torch.cuda.manual_seed_all(seed);
    }
}

/// <summary>A finished run: its results plus the trained models, which the caller owns and must dispose.</summary>
public sealed class LabOutcome(LabResult result, LabData data, TeacherNet teacher, StudentNet scratch, StudentNet distilled) : IDisposable
{
    public LabResult Result { get; } = result;
    public LabData Data { get; } = data;
    public TeacherNet Teacher { get; } = teacher;
    public StudentNet StudentScratch { get; } = scratch;
    public StudentNet StudentDistilled { get; } = distilled;

    public void Dispose()
    {
        Teacher.Dispose();
        StudentScratch.Dispose();
        StudentDistilled.Dispose();
    }
}
