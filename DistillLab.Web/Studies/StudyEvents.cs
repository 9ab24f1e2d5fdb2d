using DistillLab.Core.Studies;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Studies;

/// <summary>Something that happened to a study. Studies share the one event stream with runs (pages and the hub
/// subscribe once), so a study event is a <see cref="RunEvent"/> whose RunId is the study's id. The model a study trains
/// reports the ordinary run events (PhaseStarted, BatchProgress, EpochCompleted) under the study's id too;
/// <see cref="TrialStartedEvent"/> and <see cref="StudyDetails.Current"/> say which trial they belong to.</summary>
public abstract record StudyEvent(string StudyId) : RunEvent(StudyId)
{
    /// <summary>The event that says a trial ended: completed, pruned or failed.</summary>
    public static StudyEvent TrialEnded(string studyId, TrialResult trial) => trial.Status switch
    {
        TrialStatus.Pruned => new TrialPrunedEvent(studyId, trial),
        TrialStatus.Failed => new TrialFailedEvent(studyId, trial),
        _ => new TrialCompletedEvent(studyId, trial),
    };
}

public sealed record StudyQueuedEvent(string StudyId, int Position, StudyConfig Config, int Trials) : StudyEvent(StudyId);
/// <summary>The study left the queue (or resumed after a restart with <paramref name="FinishedTrials"/> already done).</summary>
public sealed record StudyStartedEvent(string StudyId, int FinishedTrials) : StudyEvent(StudyId);
/// <summary>A seed's teacher is ready: trained, or reused from <paramref name="Teacher"/>.ReusedFrom.</summary>
public sealed record TeacherReadyEvent(string StudyId, StudyTeacher Teacher) : StudyEvent(StudyId);
/// <summary>A seed's scratch student (the baseline) finished.</summary>
public sealed record BaselineCompletedEvent(string StudyId, BaselineResult Baseline) : StudyEvent(StudyId);
public sealed record TrialStartedEvent(string StudyId, TrialKey Trial) : StudyEvent(StudyId);
public sealed record TrialCompletedEvent(string StudyId, TrialResult Trial) : StudyEvent(StudyId);
/// <summary>Halving stopped the trial after <paramref name="Trial"/>.Epochs epochs.</summary>
public sealed record TrialPrunedEvent(string StudyId, TrialResult Trial) : StudyEvent(StudyId);
/// <summary>A trial failed; it is recorded and the study goes on.</summary>
public sealed record TrialFailedEvent(string StudyId, TrialResult Trial) : StudyEvent(StudyId);
public sealed record StudyCompletedEvent(string StudyId, BestSetting? Best, double TotalSeconds) : StudyEvent(StudyId);
public sealed record StudyFailedEvent(string StudyId, string Message) : StudyEvent(StudyId);
public sealed record StudyCancelledEvent(string StudyId) : StudyEvent(StudyId);
