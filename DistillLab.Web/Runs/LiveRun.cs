using DistillLab.Core.Experiments;
using DistillLab.Core.Training;

namespace DistillLab.Web.Runs;

/// <summary>A run the service is working on. Every change happens under one lock; readers take snapshots.</summary>
internal sealed class LiveRun(RunDetails initial)
{
    private readonly Lock gate = new();
    private RunDetails state = initial;
    private readonly Dictionary<ModelRole, List<EpochMetrics>> histories = ModelRoles.All.ToDictionary(r => r, _ => new List<EpochMetrics>());

    public string Id { get; } = initial.Id;
    public DateTimeOffset CreatedAt { get; } = initial.CreatedAt;
    public bool IsRunning { get { lock (gate) return state.Status == RunStatus.Running; } }
    /// <summary>Queued and not cancelled: it holds a place in the queue.</summary>
    public bool IsWaiting { get { lock (gate) return state.Status == RunStatus.Queued && !Cancellation.IsCancellationRequested; } }
    public CancellationTokenSource Cancellation { get; } = new();
    public bool CancelRequested => Cancellation.IsCancellationRequested;
    private int claimed;

    /// <summary>The training thread and a cancel of a queued run race for the run; only the first may end it.</summary>
    public bool TryClaim() => Interlocked.Exchange(ref claimed, 1) == 0;

    public void Update(Func<RunDetails, RunDetails> change)
    {
        lock (gate) state = change(state);
    }

    public void AddEpoch(ModelRole role, EpochMetrics metrics)
    {
        lock (gate) histories[role].Add(metrics);
    }

    public RunDetails Snapshot(int? queuePosition)
    {
        lock (gate)
            return state with
            {
                QueuePosition = queuePosition,
                Teacher = state.Teacher with { History = histories[ModelRole.Teacher].ToArray() },
                StudentScratch = state.StudentScratch with { History = histories[ModelRole.StudentScratch].ToArray() },
                StudentDistilled = state.StudentDistilled with { History = histories[ModelRole.StudentDistilled].ToArray() },
            };
    }
}
