using DistillLab.Core;
using DistillLab.Core.Studies;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Studies;

/// <summary>Runs one study synchronously on the calling (training) thread. The seam lets tests script a study;
/// <see cref="StudyEngine"/> is the real one (Core's StudyRunner).</summary>
public interface IStudyEngine
{
    /// <param name="done">What earlier attempts finished (after a restart): never trained again.</param>
    /// <exception cref="OperationCanceledException">Cancelled or the server stops; honoured within one batch.</exception>
    StudyOutcome Run(StudyConfig config, StudyFinishedParts done, StudyCallbacks callbacks, CancellationToken cancellationToken);
}

/// <summary>The parts of a study stored before it resumes.</summary>
public sealed record StudyFinishedParts(IReadOnlyList<StudyTeacher> Teachers, IReadOnlyList<BaselineResult> Baseline, IReadOnlyList<TrialResult> Trials)
{
    public static StudyFinishedParts None { get; } = new([], [], []);
}

/// <summary>How the engine asks the dashboard and tells it what happens, from the training thread.</summary>
public sealed class StudyCallbacks
{
    /// <summary>A kept teacher for this seed (from a run or a study with the same key), or null to train one.</summary>
    public required Func<int, ReusableModel?> ReusableTeacher { get; init; }
    /// <summary>The study's own folder: the teachers it trains (teacher-seed&lt;N&gt;.ckpt, which later runs and studies
    /// reuse) and its finished students (so a resumed study confirms without training them again).</summary>
    public required string WorkFolder { get; init; }
    public required Action<StudyTeacher> TeacherReady { get; init; }
    public required Action<BaselineResult> BaselineCompleted { get; init; }
    public required Action<TrialKey> TrialStarted { get; init; }
    /// <summary>A trial ended: completed, pruned or failed (a failed trial is recorded and the study goes on).</summary>
    public required Action<TrialResult> TrialFinished { get; init; }
    /// <summary>The ordinary run events of the model in training (data loading, phases, batches, epochs), with its seed
    /// and, for a distilled student, its trial.</summary>
    public required Action<int, TrialKey?, LabEvent> ModelEvent { get; init; }
    /// <summary>One of the best setting's students, in the confirm step: the dashboard keeps it for download.</summary>
    public required Action<BestStudent> BestStudent { get; init; }
}

/// <summary>A finished study: the confirmed best setting (null when no trial completed) and how long it took.</summary>
public sealed record StudyOutcome(BestSetting? Best, double TotalSeconds);
