using System.Text.Json.Serialization;
using DistillLab.Core.Experiments;
using DistillLab.Core.Insight;
using DistillLab.Core.Training;

namespace DistillLab.Web.Runs;

public enum RunStatus { Queued, Running, Completed, Failed, Cancelled, Interrupted }

/// <summary>Where the running model is: phase, epoch and batch.</summary>
public sealed record RunProgress(ModelRole Model, int Epoch, int Epochs, int Batch, int Batches, double? SecondsLeft);

/// <summary>Everything known about a run so far: the shape of GET /api/runs/{id} and the hub's GetRun.
/// What every run has from its start is positional; the rest fills in as it runs.</summary>
public sealed record RunDetails(string Id, RunStatus Status, LabConfig Config, bool ReuseTeacher, DateTimeOffset CreatedAt)
{
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? Error { get; init; }
    public string? TeacherReusedFrom { get; init; }
    public int? ImageSize { get; init; }
    public string? Device { get; init; }
    public DataSummary? Data { get; init; }
    public ModelView Teacher { get; init; } = ModelView.Empty;
    public ModelView StudentScratch { get; init; } = ModelView.Empty;
    public ModelView StudentDistilled { get; init; } = ModelView.Empty;
    public double? TotalSeconds { get; init; }
    public int? QueuePosition { get; init; }
    public string? Stage { get; init; }
    public RunProgress? Progress { get; init; }
    public string? Name { get; init; }
    public string? Notes { get; init; }
    /// <summary>Fidelity, calibration and confusion of the three models on the test split, in the shape of the
    /// `lab --out` JSON's insight (docs/insight.md); null until the run completes, and for runs stored before it existed.</summary>
    public RunInsight? Insight { get; init; }
    /// <summary>The worker that trained it (Jobs:WorkerName) under the postgres job engine; null on the embedded engine.</summary>
    public string? Worker { get; init; }

    /// <summary>A run just accepted: queued, nothing trained yet.</summary>
    public static RunDetails Queued(string id, LabConfig config, bool reuse, string? name, string? notes) =>
        new(id, RunStatus.Queued, config, reuse, DateTimeOffset.UtcNow) { Stage = "queued", Name = name, Notes = notes };

    public ModelView Model(ModelRole role) => role switch
    {
        ModelRole.Teacher => Teacher,
        ModelRole.StudentScratch => StudentScratch,
        _ => StudentDistilled,
    };

    public bool IsActive => Status is RunStatus.Queued or RunStatus.Running;

    /// <summary>How pages name the run: its name when it has one, else its id.</summary>
    [JsonIgnore] public string DisplayName => Name ?? Id;

    /// <summary>Distilled minus scratch test accuracy, as a fraction (0.042 = 4.2 points); null until both are tested.</summary>
    public double? DistilledGain => StudentDistilled.TestAccuracy is { } d && StudentScratch.TestAccuracy is { } s ? d - s : null;
}
