using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Models;
using DistillLab.Web.Training;
using DistillLab.Core.Training;
using DistillLab.Core;

namespace DistillLab.Tests.Support;

/// <summary>A stand-in for the lab runner: emits the runner's events for tiny untrained models, with a pause
/// between batches, and can hold a run at a chosen point so tests can join or cancel mid-run.</summary>
public sealed class ScriptedEngine(int epochs = 2, int batches = 3, int batchMilliseconds = 20) : ILabEngine
{
    private const int Size = 46;

    /// <summary>Set before a run to hold it after the first epoch of this model until <see cref="Release"/>.</summary>
    public ModelRole? HoldAfterFirstEpochOf { get; set; }
    public string? FailWith { get; set; }
    private readonly SemaphoreSlim release = new(0);
    public TaskCompletionSource Held { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => release.Release();

    public LabOutcome Run(LabConfig config, Action<LabEvent> onEvent, CancellationToken cancellationToken)
    {
        var data = Data();
        var summary = new DataSummary(config.Data, data.Classes, data.Train.Count, data.Validation.Count, data.Test.Count, new Dictionary<string, int>());
        onEvent(new DataLoaded(summary, "cpu", Size));
        var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, Size));
        var scratch = new StudentNet(new ModelSpec(ModelKind.Student, Size));
        var distilled = new StudentNet(new ModelSpec(ModelKind.Student, Size));
        try
        {
            var results = new Dictionary<ModelRole, ModelResult>();
            foreach (var role in ModelRoles.All)
            {
                bool reused = (role == ModelRole.Teacher && config.TeacherPath is not null)
                              || (role == ModelRole.StudentScratch && config.ScratchPath is not null);
                var history = reused ? [] : Train(role, config, onEvent, cancellationToken);
                results[role] = new ModelResult(1000, 0.5 + 0.1 * (int)role, 0.7, history, reused);
                onEvent(new PhaseCompleted(role, results[role]));
            }
            if (FailWith is { } message) throw new InvalidOperationException(message);
            var result = new LabResult(config, "cpu", Size, summary, results[ModelRole.Teacher], results[ModelRole.StudentScratch], results[ModelRole.StudentDistilled], 1.0);
            return new LabOutcome(result, data, teacher, scratch, distilled);
        }
        catch
        {
            teacher.Dispose(); scratch.Dispose(); distilled.Dispose();
            throw;
        }
    }

    private List<EpochMetrics> Train(ModelRole role, LabConfig config, Action<LabEvent> onEvent, CancellationToken cancellationToken)
    {
        var history = new List<EpochMetrics>();
        onEvent(new PhaseStarted(role, epochs, batches, 1000));
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            for (int batch = 1; batch <= batches; batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Thread.Sleep(batchMilliseconds);
                onEvent(new BatchProgress(role, epoch, epochs, batch, batches, 0.7));
            }
            var metrics = new EpochMetrics(epoch, 0.5 + 0.1 * epoch, 0.7 / epoch, 0.5 + 0.05 * epoch, 0.8 / epoch, 0.1, 500,
                role == ModelRole.StudentDistilled ? 0.6 / epoch : null, role == ModelRole.StudentDistilled ? 0.3 / epoch : null);
            history.Add(metrics);
            onEvent(new EpochCompleted(role, metrics));
            if (epoch == 1 && HoldAfterFirstEpochOf == role)
            {
                Held.TrySetResult();
                while (!release.Wait(50, CancellationToken.None)) cancellationToken.ThrowIfCancellationRequested();
            }
        }
        return history;
    }

    private static LabData Data()
    {
        var random = new Random(3);
        ImageSet Set(int count)
        {
            var pixels = new byte[count * 3 * Size * Size];
            random.NextBytes(pixels);
            return new ImageSet(pixels, Enumerable.Range(0, count).Select(i => i % 2).ToArray(), 3, Size);
        }
        return new LabData("scripted", ["cat", "dog"], Set(16), Set(8), Set(8), new Dictionary<string, int>());
    }
}
