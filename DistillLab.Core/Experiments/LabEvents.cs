namespace DistillLab.Core.Experiments;

/// <summary>The three models the lab trains, in the order it trains them.</summary>
public enum ModelRole { Teacher, StudentScratch, StudentDistilled }

/// <summary>Something that happened during a lab run; the experiment reports these through one callback.</summary>
public abstract record LabEvent;

/// <summary>Data preparation progress (decoding, caching): <paramref name="Done"/> of <paramref name="Total"/> items.</summary>
public sealed record DataProgress(string Stage, int Done, int Total) : LabEvent;

/// <summary>Data is loaded and split; training is about to start.</summary>
public sealed record DataLoaded(DataSummary Data, string Device, int ImageSize) : LabEvent;

/// <summary>A model's training phase begins. A reused teacher or scratch student gets no phase.</summary>
public sealed record PhaseStarted(ModelRole Model, int Epochs, int BatchesPerEpoch, long Parameters) : LabEvent;

/// <summary>One training batch finished (1-based batch and epoch numbers).</summary>
public sealed record BatchProgress(ModelRole Model, int Epoch, int Epochs, int Batch, int Batches, double Loss) : LabEvent;

public sealed record EpochCompleted(ModelRole Model, EpochMetrics Metrics) : LabEvent;

/// <summary>A model's training and test evaluation are done.</summary>
public sealed record PhaseCompleted(ModelRole Model, ModelResult Result) : LabEvent;

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

/// <summary>How a model ended: its size, test metrics and training history.</summary>
/// <param name="Reused">True when the model (teacher or scratch student) came from a checkpoint instead of being trained.</param>
public sealed record ModelResult(
    long Parameters,
    double TestAccuracy,
    double TestLoss,
    IReadOnlyList<EpochMetrics> History,
    bool Reused = false);

public sealed record DataSummary(
    string Source,
    IReadOnlyList<string> Classes,
    int Train,
    int Validation,
    int Test,
    IReadOnlyDictionary<string, int> Skipped);

/// <summary>The whole outcome of a run, in the shape of the `lab --out` JSON.</summary>
/// <param name="ForeignModels">Saved models used although they were not trained on this run's training split
/// (allowed by <see cref="LabConfig.AllowForeignTeacher"/>); null when there were none.</param>
public sealed record LabResult(
    LabConfig Config,
    string Device,
    int ImageSize,
    DataSummary Data,
    ModelResult Teacher,
    ModelResult StudentScratch,
    ModelResult StudentDistilled,
    double TotalSeconds,
    IReadOnlyList<ForeignModel>? ForeignModels = null);
