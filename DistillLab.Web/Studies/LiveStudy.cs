namespace DistillLab.Web.Studies;

/// <summary>A study the service is working on. Every change happens under one lock; readers take snapshots.</summary>
internal sealed class LiveStudy(StudyDetails initial)
{
    private readonly Lock gate = new();
    private StudyDetails state = initial;
    private int claimed;

    public string Id { get; } = initial.Id;
    public DateTimeOffset CreatedAt { get; } = initial.CreatedAt;
    public CancellationTokenSource Cancellation { get; } = new();
    public bool CancelRequested => Cancellation.IsCancellationRequested;
    public bool IsRunning { get { lock (gate) return state.Status == StudyStatus.Running; } }
    /// <summary>Queued and not cancelled: it holds a place in the queue.</summary>
    public bool IsWaiting { get { lock (gate) return state.Status == StudyStatus.Queued && !CancelRequested; } }

    /// <summary>The training thread and a cancel of a queued study race for it; only the first may end it.</summary>
    public bool TryClaim() => Interlocked.Exchange(ref claimed, 1) == 0;

    public void Update(Func<StudyDetails, StudyDetails> change)
    {
        lock (gate) state = change(state);
    }

    public StudyDetails Snapshot(int? queuePosition)
    {
        lock (gate) return state with { QueuePosition = queuePosition };
    }
}
