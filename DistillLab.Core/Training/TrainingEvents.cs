namespace DistillLab.Core.Training;

/// <summary>A model's training phase begins. A reused teacher or scratch student gets no phase.</summary>
public sealed record PhaseStarted(ModelRole Model, int Epochs, int BatchesPerEpoch, long Parameters) : LabEvent;

/// <summary>One training batch finished (1-based batch and epoch numbers).</summary>
public sealed record BatchProgress(ModelRole Model, int Epoch, int Epochs, int Batch, int Batches, double Loss) : LabEvent;

public sealed record EpochCompleted(ModelRole Model, EpochMetrics Metrics) : LabEvent;

/// <summary>Metrics of one epoch; StudentLoss and DistillationLoss only for the distilled student.</summary>
public sealed record EpochMetrics(
    int Epoch,
    double TrainAccuracy,
    double TrainLoss,
    double ValAccuracy,
    double ValLoss,
    double Seconds,
    double ImagesPerSecond,
    double? StudentLoss = null,
    double? DistillationLoss = null);
