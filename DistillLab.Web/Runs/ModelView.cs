using DistillLab.Core.Experiments;
using DistillLab.Core.Training;

namespace DistillLab.Web.Runs;

/// <summary>One model's part of a run as the service knows it while the run goes on: Core's <see cref="ModelResult"/>
/// with every figure missing until it exists (a queued run has none, a training one its epochs so far), and what only
/// the service measures or knows: the saved file's size, single-image inference time, and the run a reused model came
/// from. Built with <see cref="Empty"/> and <see cref="Tested"/>, never from a list of positions.</summary>
/// <param name="ReusedFrom">For a reused model: the run that trained it (through any chain of reuses); null when this run trained it.</param>
public sealed record ModelView
{
    public long? Parameters { get; init; }
    public double? TestAccuracy { get; init; }
    public double? TestLoss { get; init; }
    public IReadOnlyList<EpochMetrics> History { get; init; } = [];
    public bool Reused { get; init; }
    public long? ModelBytes { get; init; }
    public double? InferenceMillisecondsPerImage { get; init; }
    public string? ReusedFrom { get; init; }

    /// <summary>A model that has not started: no size, no results, no epochs.</summary>
    public static ModelView Empty { get; } = new();

    /// <summary>This view with a tested model's size and test metrics (its epochs stay as they are).</summary>
    public ModelView Tested(ModelResult result) => this with
    {
        Parameters = result.Parameters, TestAccuracy = result.TestAccuracy, TestLoss = result.TestLoss, Reused = result.Reused,
    };
}
