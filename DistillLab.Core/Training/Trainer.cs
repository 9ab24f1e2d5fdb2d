using System.Diagnostics;
using DistillLab.Core.Data;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace DistillLab.Core.Training;

/// <summary>The loss of one training batch, plus the logits that accuracy is measured on.</summary>
public sealed record StepLoss(Tensor Loss, Tensor Logits, Tensor? StudentLoss = null, Tensor? DistillationLoss = null);

/// <summary>The training loop: train one epoch, evaluate, report; a few small functions, all settings in TrainingOptions.</summary>
public sealed class Trainer(Device device, Action<LabEvent> onEvent, CancellationToken cancellationToken)
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="train"/> with plain cross-entropy on the labels.</summary>
    public IReadOnlyList<EpochMetrics> Fit(Module<Tensor, Tensor> model, ModelRole role, ImageSet train, ImageSet validation, TrainingOptions options)
        => Fit(model, role, train, validation, options, (images, labels) =>
        {
            var logits = model.call(images);
            return new StepLoss(functional.cross_entropy(logits, labels), logits);
        });

    /// <summary>Trains the parameters of <paramref name="model"/> with any per-batch loss.</summary>
    public IReadOnlyList<EpochMetrics> Fit(Module<Tensor, Tensor> model, ModelRole role, ImageSet train, ImageSet validation,
        TrainingOptions options, Func<Tensor, Tensor, StepLoss> lossOf)
        => Fit(model, role, train, validation, options, (images, labels, _) => lossOf(images, labels));

    /// <summary>Trains with a per-batch loss that also gets the batch's image positions in <paramref name="train"/>
    /// (a Distiller reads its cached teacher logits by them).</summary>
    /// <param name="keepGoing">Asked after each epoch; false stops training there (a study's pruning).</param>
    public IReadOnlyList<EpochMetrics> Fit(Module<Tensor, Tensor> model, ModelRole role, ImageSet train, ImageSet validation,
        TrainingOptions options, Func<Tensor, Tensor, int[], StepLoss> lossOf, Func<EpochMetrics, bool>? keepGoing = null)
    {
        using var optimizer = new KerasAdam(model.parameters(), options.LearningRate, options.AdamEpsilon);
        int batches = BatchLoader.BatchCount(train.Count, options.BatchSize);
        onEvent(new PhaseStarted(role, options.Epochs, batches, CountParameters(model)));

        var history = new List<EpochMetrics>();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var trained = TrainEpoch(model, role, train, options, epoch, batches, optimizer, lossOf);
            double trainSeconds = clock.Elapsed.TotalSeconds;
            var (valAccuracy, valLoss) = Evaluate(model, validation, options.BatchSize);
            var metrics = new EpochMetrics(epoch, trained.Accuracy, trained.Loss, valAccuracy, valLoss,
                clock.Elapsed.TotalSeconds, train.Count / trainSeconds, trained.StudentLoss, trained.DistillationLoss);
            history.Add(metrics);
            onEvent(new EpochCompleted(role, metrics));
            if (keepGoing is not null && !keepGoing(metrics)) break;
        }
        return history;
    }

    private sealed record EpochTotals(double Accuracy, double Loss, double? StudentLoss, double? DistillationLoss);

    private EpochTotals TrainEpoch(Module<Tensor, Tensor> model, ModelRole role, ImageSet train, TrainingOptions options,
        int epoch, int batches, KerasAdam optimizer, Func<Tensor, Tensor, int[], StepLoss> lossOf)
    {
        model.train();
        double lossSum = 0, studentSum = 0, distillSum = 0;
        long correct = 0, seen = 0;
        bool hasParts = false;
        int batchIndex = 0;
        // A new, seeded order each epoch; the same for every model trained with the same seed.
        foreach (var batch in BatchLoader.Batches(train, options.BatchSize, BatchLoader.EpochSeed(options.Seed, epoch), cancellationToken, Prefetch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            batchIndex++;
            var step = TrainBatch(batch, optimizer, lossOf);
            if (!double.IsFinite(step.Loss))
                throw new TrainingDivergedException(
                    $"{role} training diverged: the loss became {step.Loss} at epoch {epoch}, batch {batchIndex} of {batches}. Try a lower learning rate.");
            lossSum += step.Loss * batch.Count;
            correct += step.Correct;
            seen += batch.Count;
            if (step.StudentLoss is { } studentLoss && step.DistillationLoss is { } distillationLoss)
            {
                hasParts = true;
                studentSum += studentLoss * batch.Count;
                distillSum += distillationLoss * batch.Count;
            }
            // Raised after the batch's dispose scope has closed, so listeners see no batch temporaries alive.
            onEvent(new BatchProgress(role, epoch, options.Epochs, batchIndex, batches, step.Loss));
        }
        return new EpochTotals((double)correct / seen, lossSum / seen,
            hasParts ? studentSum / seen : null, hasParts ? distillSum / seen : null);
    }

    private sealed record BatchResult(double Loss, long Correct, double? StudentLoss, double? DistillationLoss);

    private BatchResult TrainBatch(Batch batch, KerasAdam optimizer, Func<Tensor, Tensor, int[], StepLoss> lossOf)
    {
        using var scope = NewDisposeScope();
        var (images, labels) = ToTensors(batch);
        optimizer.ZeroGrad();
        var step = lossOf(images, labels, batch.Indices);
        double loss = step.Loss.item<float>();
        if (!double.IsFinite(loss))
            return new BatchResult(loss, 0, null, null); // no step on a broken loss: the caller stops the run
        step.Loss.backward();
        optimizer.Step();
        return new BatchResult(loss, step.Logits.argmax(1).eq(labels).sum().item<long>(),
            step.StudentLoss?.item<float>(), step.DistillationLoss?.item<float>());
    }

    /// <summary>Accuracy and mean cross-entropy of the model alone, in eval mode (dropout off), without gradients.</summary>
    public (double Accuracy, double Loss) Evaluate(Module<Tensor, Tensor> model, ImageSet set, int batchSize)
    {
        model.eval();
        using var _ = no_grad();
        double lossSum = 0;
        long correct = 0;
        foreach (var batch in BatchLoader.Batches(set, batchSize, shuffleSeed: null, cancellationToken, Prefetch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (images, labels) = ToTensors(batch);
            var logits = model.call(images);
            lossSum += functional.cross_entropy(logits, labels).item<float>() * batch.Count;
            correct += logits.argmax(1).eq(labels).sum().item<long>();
        }
        return ((double)correct / set.Count, lossSum / set.Count);
    }

    /// <summary>The model's logits for every image of <paramref name="set"/>, in the set's order: float[N][classes].
    /// Eval mode (dropout off), no gradients, batched and scaled as <see cref="Evaluate"/>.</summary>
    public float[][] Predict(Module<Tensor, Tensor> model, ImageSet set, int batchSize)
    {
        model.eval();
        using var noGrad = no_grad();
        var logits = new float[set.Count][];
        int next = 0;
        foreach (var batch in BatchLoader.Batches(set, batchSize, shuffleSeed: null, cancellationToken, Prefetch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var output = model.call(ToTensors(batch).Images).cpu();
            int classes = (int)output.shape[1];
            var flat = output.data<float>().ToArray();
            for (int i = 0; i < batch.Count; i++) logits[next++] = flat.AsSpan(i * classes, classes).ToArray();
        }
        return logits;
    }

    // On a CPU the prefetch thread competes with libtorch for the same cores and cost 5-8 % of an epoch
    // (docs/decisions.md); a GPU leaves the CPU free, so batches are prepared ahead there.
    private bool Prefetch => device.type != DeviceType.CPU;

    private (Tensor Images, Tensor Labels) ToTensors(Batch batch) => ToTensors(batch, device);

    /// <summary>A batch as tensors on <paramref name="device"/>: images float32 in [0, 1], labels int64.</summary>
    internal static (Tensor Images, Tensor Labels) ToTensors(Batch batch, Device device)
    {
        var bytes = torch.tensor(batch.Pixels, [batch.Count, batch.Channels, batch.ImageSize, batch.ImageSize]);
        var labels = torch.tensor(batch.Labels);
        if (device.type != DeviceType.CPU)
        {
            bytes = bytes.to(device);
            labels = labels.to(device);
        }
        return (Models.ModelInput.FromPixels(bytes), labels);
    }

    public static long CountParameters(Module<Tensor, Tensor> model)
        => model.parameters().Sum(p => p.numel());
}
