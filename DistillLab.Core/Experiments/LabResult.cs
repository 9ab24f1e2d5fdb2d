using DistillLab.Core.Insight;
using DistillLab.Core.Training;

namespace DistillLab.Core.Experiments;

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
    IReadOnlyList<ForeignModel>? ForeignModels = null)
{
    /// <summary>Fidelity, calibration and confusion of the three models on the test split (docs/insight.md);
    /// <see cref="LabRunner"/> always sets it.</summary>
    public RunInsight? Insight { get; init; }
}

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
