namespace DistillLab.Core.Studies;

// What a study reports besides the run events (PhaseStarted, BatchProgress, EpochCompleted) of the model in training.
// Those carry a role, not a trial: the last SeedStarted or TrialStarted says whose they are.

/// <summary>A seed begins: its teacher (trained or reused) and baseline come next, then its trials.</summary>
public sealed record SeedStarted(int Seed, int Index, int Count) : LabEvent;

/// <summary>A seed's teacher is trained or loaded and tested; its logits are cached next.</summary>
public sealed record TeacherReady(TeacherResult Teacher) : LabEvent;

/// <summary>A seed's scratch student is trained and tested.</summary>
public sealed record BaselineCompleted(BaselineResult Baseline) : LabEvent;

/// <summary>A trial begins training (number 1-based, out of the study's total, finished ones included).</summary>
public sealed record TrialStarted(TrialKey Trial, int Number, int Total) : LabEvent;

public sealed record TrialCompleted(TrialResult Trial) : LabEvent;

/// <summary>The pruning rule stopped a trial at a rung.</summary>
public sealed record TrialPruned(TrialResult Trial) : LabEvent;

/// <summary>A trial's training failed (its error in <see cref="TrialResult.Error"/>); the study goes on.</summary>
public sealed record TrialFailed(TrialResult Trial) : LabEvent;

/// <summary>The study was cancelled while this trial trained; the runner then throws OperationCanceledException.</summary>
public sealed record TrialCancelled(TrialResult Trial) : LabEvent;

/// <summary>Every trial is done and the best setting is confirmed on the test split.</summary>
public sealed record StudyCompleted(StudyResult Result) : LabEvent;
