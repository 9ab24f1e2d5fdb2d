using System.Diagnostics;
using DistillLab.Core.Data;
using DistillLab.Core.Insight;
using DistillLab.Core.Models;
using DistillLab.Core.Runtime;
using DistillLab.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillLab.Core.Experiments;

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
        SavedModelCheck.BeforeLoading(config, imageSize);

        var clock = Stopwatch.StartNew();
        var data = DataLoader.Load(new DataRequest(config.Data, imageSize, config.Limit, config.Seed, Environment, ResizeMethods.Parse(config.Resize), config.UsesTfdsSplit()),
            onEvent, cancellationToken);
        return Run(config, data, device, onEvent, cancellationToken, clock);
    }

    /// <summary>Runs the lab on data already in memory (tests, benchmarks).</summary>
    /// <exception cref="InvalidLabConfigException">A saved teacher or scratch student does not fit the data, or was trained
    /// on another split of it (<see cref="SavedModelCheck"/>) and the config does not allow that.</exception>
    public LabOutcome Run(LabConfig config, LabData data, Device device, Action<LabEvent> onEvent, CancellationToken cancellationToken, Stopwatch? clock = null)
    {
        // After loading, because the source's fingerprint and the pool's size are known only then; before any training.
        var foreign = SavedModelCheck.AfterLoading(config, data);
        clock ??= Stopwatch.StartNew();
        var summary = new DataSummary(data.Source, data.Classes, data.Train.Count, data.Validation.Count, data.Test.Count, data.Skipped);
        onEvent(new DataLoaded(summary, device.type == DeviceType.CUDA ? "cuda" : "cpu", data.ImageSize));

        var trainer = new Trainer(device, onEvent, cancellationToken);
        var options = new TrainingOptions(config.TeacherEpochs, config.BatchSize, config.LearningRate, config.Seed, config.AdamEpsilon);
        var studentOptions = options with { Epochs = config.StudentEpochs };
        var studentSpec = new ModelSpec(ModelKind.Student, data.ImageSize, data.Channels, data.Classes.Count);

        TeacherNet? teacher = null;
        StudentNet? scratch = null, distilled = null;
        var trainedOn = SavedModelCheck.Of(config, data);
        TrainingProvenance? teacherTrainedOn = trainedOn, scratchTrainedOn = trainedOn;

        // A saved model is loaded and tested (and keeps its own record of what it was trained on); otherwise a fresh
        // one is built from the run's seed, trained and tested.
        (T, ModelResult, TrainingProvenance?) ReuseOrTrain<T>(string? savedPath, Func<string, T> load, Func<T> build, ModelRole role,
            TrainingOptions trainingOptions) where T : nn.Module<Tensor, Tensor>
        {
            if (savedPath is { } saved)
            {
                var reused = load(saved);
                reused.to(device);
                return (reused, Test(trainer, reused, data, config, [], reused: true), ModelCheckpoint.ReadHeader(saved).TrainedOn);
            }
            Seed(config.Seed, device);
            var model = build();
            model.to(device);
            var history = trainer.Fit(model, role, data.Train, data.Validation, trainingOptions);
            return (model, Test(trainer, model, data, config, history, reused: false), trainedOn);
        }

        try
        {
            (teacher, var teacherResult, teacherTrainedOn) = ReuseOrTrain(config.TeacherPath, ModelCheckpoint.LoadTeacher,
                () => new TeacherNet(new ModelSpec(ModelKind.Teacher, data.ImageSize, data.Channels, data.Classes.Count)), ModelRole.Teacher, options);
            onEvent(new PhaseCompleted(ModelRole.Teacher, teacherResult));

            // Both students start from the same seeded weights and see batches in the same order,
            // so the only difference between them is the teacher's guidance.
            (scratch, var scratchResult, scratchTrainedOn) = ReuseOrTrain(config.ScratchPath, ModelCheckpoint.LoadStudent,
                () => new StudentNet(studentSpec), ModelRole.StudentScratch, studentOptions);
            onEvent(new PhaseCompleted(ModelRole.StudentScratch, scratchResult));

            Seed(config.Seed, device);
            distilled = new StudentNet(studentSpec);
            distilled.to(device);
            // The frozen teacher's logits, once for the whole training split instead of once per batch and epoch.
            using var teacherLogits = TeacherLogits.Compute(teacher, data.Train, config.BatchSize, device, cancellationToken);
            var distiller = new Distiller(teacherLogits, distilled, config.Alpha, config.Temperature, config.ScaleByTemperatureSquared);
            var distilledHistory = trainer.Fit(distilled, ModelRole.StudentDistilled, data.Train, data.Validation, studentOptions, distiller.Step);
            var distilledResult = Test(trainer, distilled, data, config, distilledHistory, reused: false);
            onEvent(new PhaseCompleted(ModelRole.StudentDistilled, distilledResult));

            // One more pass over the test split per model, for the figures beyond accuracy; Test above is left as it
            // was, so the documented test accuracy and loss cannot move. Eval mode draws no random numbers.
            var testLogits = new TestLogits(data.Classes, data.Test.Labels, trainer.Predict(teacher, data.Test, config.BatchSize),
                trainer.Predict(scratch, data.Test, config.BatchSize), trainer.Predict(distilled, data.Test, config.BatchSize));
            var result = new LabResult(config, device.type == DeviceType.CUDA ? "cuda" : "cpu", data.ImageSize, summary,
                teacherResult, scratchResult, distilledResult, clock.Elapsed.TotalSeconds, foreign.Count > 0 ? foreign : null)
            {
                Insight = RunInsight.Of(testLogits),
            };
            // A reused model keeps its own record, so saving it again never passes a foreign model off as this run's.
            return new LabOutcome(result, data, teacher, scratch, distilled)
            {
                TeacherTrainedOn = teacherTrainedOn, ScratchTrainedOn = scratchTrainedOn, TestLogits = testLogits,
            };
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

    /// <summary>What this run's own models were trained on; the distilled student's record.</summary>
    public TrainingProvenance TrainedOn { get; } = SavedModelCheck.Of(result.Config, data);

    /// <summary>What the teacher was trained on: this run's data, or a reused teacher's own record (null when its
    /// checkpoint had none).</summary>
    public TrainingProvenance? TeacherTrainedOn { get; init; } = SavedModelCheck.Of(result.Config, data);

    /// <summary>As <see cref="TeacherTrainedOn"/>, for the scratch student.</summary>
    public TrainingProvenance? ScratchTrainedOn { get; init; } = SavedModelCheck.Of(result.Config, data);

    /// <summary>The three models' logits on the test split, with its labels (what <see cref="LabResult.Insight"/> was
    /// computed from); null from an engine that does not produce them.</summary>
    public TestLogits? TestLogits { get; init; }

    /// <summary>What the model in <paramref name="role"/> was trained on, to store in its checkpoint.</summary>
    public TrainingProvenance? TrainedOnFor(ModelRole role) => role switch
    {
        ModelRole.Teacher => TeacherTrainedOn,
        ModelRole.StudentScratch => ScratchTrainedOn,
        _ => TrainedOn,
    };

    /// <summary>The trained model in <paramref name="role"/>.</summary>
    public nn.Module<Tensor, Tensor> Model(ModelRole role) => role switch
    {
        ModelRole.Teacher => Teacher,
        ModelRole.StudentScratch => StudentScratch,
        _ => StudentDistilled,
    };

    public void Dispose()
    {
        Teacher.Dispose();
        StudentScratch.Dispose();
        StudentDistilled.Dispose();
    }
}
