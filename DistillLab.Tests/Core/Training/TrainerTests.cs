using DistillLab.Core.Experiments;
using DistillLab.Core.Models;
using DistillLab.Core.Training;
using static TorchSharp.torch;
using DistillLab.Core.Data;
using DistillLab.Core;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Training;

[Collection(TorchCollection.Name)]
public class TrainerTests
{
    private static readonly LabConfig TinyConfig = new()
    {
        Data = "tiny", TeacherEpochs = 2, StudentEpochs = 2, BatchSize = 16, Seed = 3,
    };

    private static LabOutcome RunLab(LabConfig config, List<LabEvent>? events = null, CancellationToken ct = default)
        => new LabRunner(new LabEnvironment(Path.GetTempPath())).Run(config, TinyData.Lab(), CPU, e => events?.Add(e), ct);

    [Fact]
    public void SameSeedAndDataGiveIdenticalMetricsRunToRun()
    {
        using var first = RunLab(TinyConfig);
        using var second = RunLab(TinyConfig);
        Assert.Equal(Strip(first.Result), Strip(second.Result));
    }

    [Fact]
    public void LabReportsEveryEpochOfAllThreeModelsAndBatchProgress()
    {
        var events = new List<LabEvent>();
        using var outcome = RunLab(TinyConfig, events);

        var epochs = events.OfType<EpochCompleted>().ToList();
        Assert.Equal([ModelRole.Teacher, ModelRole.Teacher, ModelRole.StudentScratch, ModelRole.StudentScratch,
            ModelRole.StudentDistilled, ModelRole.StudentDistilled], epochs.Select(e => e.Model));
        Assert.All(epochs.Where(e => e.Model == ModelRole.StudentDistilled), e =>
        {
            Assert.NotNull(e.Metrics.StudentLoss);
            Assert.NotNull(e.Metrics.DistillationLoss);
        });
        Assert.All(epochs.Where(e => e.Model != ModelRole.StudentDistilled), e => Assert.Null(e.Metrics.DistillationLoss));
        Assert.Equal(4 * 6, events.OfType<BatchProgress>().Count()); // 64 images / 16 per batch, 6 epochs in all
        Assert.Equal(3, events.OfType<PhaseCompleted>().Count());
        Assert.All(epochs, e =>
        {
            Assert.InRange(e.Metrics.TrainAccuracy, 0, 1);
            Assert.InRange(e.Metrics.ValAccuracy, 0, 1);
            Assert.True(e.Metrics.ImagesPerSecond > 0);
        });
        Assert.Equal(2, outcome.Result.Teacher.History.Count);
        Assert.Equal(Trainer.CountParameters(outcome.StudentScratch), outcome.Result.StudentScratch.Parameters);
    }

    [Fact]
    public void CancellationStopsTheRunWithinOneBatch()
    {
        using var cts = new CancellationTokenSource();
        var events = new List<LabEvent>();
        Assert.ThrowsAny<OperationCanceledException>(() => new LabRunner(new LabEnvironment(Path.GetTempPath()))
            .Run(TinyConfig, TinyData.Lab(), CPU, e =>
            {
                events.Add(e);
                if (e is BatchProgress { Batch: 2 }) cts.Cancel();
            }, cts.Token));
        Assert.Equal(2, events.OfType<BatchProgress>().Count());
    }

    [Fact]
    public void AnInfiniteLossStopsTheRunWithADivergedErrorNamingEpochAndBatch()
    {
        var data = TinyData.Lab();
        using var student = new StudentNet(new ModelSpec(ModelKind.Student, 48));
        var batch = 0;
        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer(CPU, _ => { }, default)
            .Fit(student, ModelRole.StudentScratch, data.Train, data.Validation, new TrainingOptions(2, 16, 1e-3, 1), (x, y) =>
            {
                var logits = student.call(x);
                var loss = nn.functional.cross_entropy(logits, y);
                return new StepLoss(++batch == 3 ? loss / 0.0 : loss, logits);
            }));
        Assert.Contains("epoch 1, batch 3 of 4", error.Message);
        Assert.Contains("diverged", error.Message);
    }

    [Fact]
    public void AReusedTeacherIsTestedButNotTrained()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dl-teacher-{Guid.NewGuid():N}.bin");
        try
        {
            using (var first = RunLab(TinyConfig))
                ModelCheckpoint.Save(first.Teacher, first.Teacher.Spec, path, first.TeacherTrainedOn);
            var events = new List<LabEvent>();
            using var second = RunLab(TinyConfig with { TeacherPath = path, TeacherEpochs = 0 }, events);
            Assert.True(second.Result.Teacher.Reused);
            Assert.Empty(second.Result.Teacher.History);
            Assert.DoesNotContain(events.OfType<PhaseStarted>(), e => e.Model == ModelRole.Teacher);
            Assert.InRange(second.Result.Teacher.TestAccuracy, 0, 1);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void NoTensorsLeakPerBatchOrAcrossAWholeRun()
    {
        using (RunLab(TinyConfig with { TeacherEpochs = 1, StudentEpochs = 1 })) { }
        long baseline = LiveTensors;
        var liveAtBatchEnd = new List<long>();
        LabOutcome outcome = new LabRunner(new LabEnvironment(Path.GetTempPath())).Run(TinyConfig, TinyData.Lab(), CPU,
            e => { if (e is BatchProgress { Model: ModelRole.StudentScratch }) liveAtBatchEnd.Add(LiveTensors); }, default);
        // Parameters, gradients and Adam's state live on (Adam creates its state lazily over the first steps);
        // what must not happen is growth: from the third batch on the count is flat through both epochs.
        Assert.True(liveAtBatchEnd.Skip(2).Distinct().Count() == 1, string.Join(",", liveAtBatchEnd));
        Assert.True(liveAtBatchEnd[^1] <= liveAtBatchEnd[0], string.Join(",", liveAtBatchEnd));
        outcome.Dispose();
        Assert.Equal(baseline, LiveTensors);
    }

    [Fact]
    public void BatchesReachTheModelAsFloatPixelsDividedBy255()
    {
        using var scope = NewDisposeScope();
        var batch = new DistillLab.Core.Data.Batch([0, 51, 255, 102], [1L], 1, 1, 2, [0]);
        var (images, labels) = Trainer.ToTensors(batch, CPU);
        Assert.Equal(ScalarType.Float32, images.dtype);
        Assert.Equal([1L, 1L, 2L, 2L], images.shape);
        Assert.Equal([0f, 0.2f, 1f, 0.4f], images.data<float>().ToArray());
        Assert.Equal([1L], labels.data<long>().ToArray());
    }

    [Fact]
    public void BuildingAndDisposingModelsLeavesNoTensorsBehind()
    {
        // TorchSharp 0.107's Conv2d/Linear constructors leave temporaries alive (a lone Conv2d: one after Dispose);
        // the models build inside a dispose scope so that none of them outlive the model.
        long before = LiveTensors;
        new TeacherNet(new ModelSpec(ModelKind.Teacher, 64)).Dispose();
        new StudentNet(new ModelSpec(ModelKind.Student, 64)).Dispose();
        Assert.Equal(before, LiveTensors);
    }

    // Counted for this thread only (the whole run happens on it), so torch tests elsewhere cannot disturb the count.
    private static long LiveTensors => TorchSharp.DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;

    private static object Strip(LabResult result) => new
    {
        TeacherTest = (result.Teacher.TestAccuracy, result.Teacher.TestLoss),
        Teacher = result.Teacher.History.Select(Metrics).ToList(),
        Scratch = result.StudentScratch.History.Select(Metrics).ToList(),
        Distilled = result.StudentDistilled.History.Select(Metrics).ToList(),
        ScratchTest = (result.StudentScratch.TestAccuracy, result.StudentScratch.TestLoss),
        DistilledTest = (result.StudentDistilled.TestAccuracy, result.StudentDistilled.TestLoss),
    } is var o ? System.Text.Json.JsonSerializer.Serialize(o) : "";

    // Timings differ run to run; everything else must not.
    private static object Metrics(EpochMetrics m) => m with { Seconds = 0, ImagesPerSecond = 0 };
}
