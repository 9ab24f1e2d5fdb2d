using System.Text.Json.Serialization;
using DistillLab.Core.Studies;
using DistillLab.Core.Training;

namespace DistillLab.Web.Studies;

public enum TrialStatus { Completed, Pruned, Failed, Cancelled }

/// <summary>One seed's teacher: trained by the study, or reused from an earlier run or study.</summary>
/// <param name="ReusedFrom">The run or study teacher that trained it, when reused.</param>
/// <param name="History">Its epochs, so a later run that reuses it shows how it learned.</param>
public sealed record StudyTeacher(int Seed, double TestAccuracy, bool Reused, string? ReusedFrom = null, IReadOnlyList<EpochMetrics>? History = null);

/// <summary>One seed's scratch student, the baseline every trial of that seed is compared with.</summary>
public sealed record StudyBaseline(int Seed, double ValAccuracy, double TestAccuracy, IReadOnlyList<EpochMetrics> History);

/// <summary>One trial: a distilled student for one (α, T, T², seed). <see cref="ValAccuracy"/> is its last epoch's.</summary>
public sealed record StudyTrial(double Alpha, double Temperature, bool ScaleByTemperatureSquared, int Seed, TrialStatus Status,
    int Epochs, double? ValAccuracy, IReadOnlyList<EpochMetrics> History, string? Error = null)
{
    [JsonIgnore] public TrialKey Key => new(Alpha, Temperature, ScaleByTemperatureSquared, Seed);
    [JsonIgnore] public StudySetting Setting => Key.Setting;
}

/// <summary>The model a running study trains now: a seed's teacher or baseline, or a trial, with its epochs so far.</summary>
/// <param name="Trial">The trial, when a distilled student trains; null for a teacher or a baseline.</param>
public sealed record StudyProgress(int Seed, ModelRole Model, TrialKey? Trial, int Epoch, int Epochs, int Batch, int Batches,
    IReadOnlyList<EpochMetrics> History);

/// <summary>The confirm step's test figures for the best setting and the baseline, one per seed.</summary>
public sealed record StudyTestFigures(IReadOnlyList<int> Seeds, IReadOnlyList<double> Distilled, IReadOnlyList<double> Scratch,
    double MeanDelta, IReadOnlyList<double> Ci95, double PValue);

/// <summary>The setting chosen on validation, confirmed on the test split, and the verdict in words.</summary>
public sealed record StudyBest(double Alpha, double Temperature, bool ScaleByTemperatureSquared, StudyTestFigures Test, string Verdict)
{
    [JsonIgnore] public StudySetting Setting => new(Alpha, Temperature, ScaleByTemperatureSquared);
}
