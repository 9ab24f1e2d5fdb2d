using DistillLab.Core.Experiments;
using DistillLab.Core.Training;

namespace DistillLab.Web.Runs;

/// <summary>Something that happened to a run; the one event stream carries these to components and the hub.</summary>
/// <param name="At">When the service published it (UTC), so clients can measure delivery latency.</param>
public abstract record RunEvent(string RunId)
{
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;
}

public sealed record RunQueuedEvent(string RunId, int Position, LabConfig Config, bool ReuseTeacher) : RunEvent(RunId);
/// <summary>A run left the queue. The reused models (null when trained by this run) name the run that trained them.</summary>
public sealed record RunStartedEvent(string RunId, string? TeacherReusedFrom, string? StudentScratchReusedFrom = null) : RunEvent(RunId);
public sealed record PhaseStartedEvent(string RunId, ModelRole Model, int Epochs, int BatchesPerEpoch, long Parameters) : RunEvent(RunId);
public sealed record BatchProgressEvent(string RunId, ModelRole Model, int Epoch, int Epochs, int Batch, int Batches, double Loss, double? SecondsLeft) : RunEvent(RunId);
public sealed record EpochCompletedEvent(string RunId, ModelRole Model, EpochMetrics Metrics) : RunEvent(RunId);
/// <summary>The run finished: test accuracy and loss of all three models and their parameter counts.</summary>
public sealed record RunCompletedEvent(string RunId, ModelView Teacher, ModelView StudentScratch, ModelView StudentDistilled, double TotalSeconds) : RunEvent(RunId);
public sealed record RunFailedEvent(string RunId, string Message) : RunEvent(RunId);
public sealed record RunCancelledEvent(string RunId) : RunEvent(RunId);
/// <summary>Anything else worth a redraw (data loading stage, a run deleted); not sent to hub clients.</summary>
public sealed record RunChangedEvent(string RunId) : RunEvent(RunId);
