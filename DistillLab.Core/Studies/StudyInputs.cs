namespace DistillLab.Core.Studies;

/// <summary>What a caller gives a study besides its config: what already finished, where saved teachers are, and a
/// folder for the study's own checkpoints.</summary>
public sealed record StudyInputs
{
    /// <summary>Teachers, baselines and trials that finished before (a study resumed after a restart): not trained again.
    /// A cancelled trial does not count as finished and is trained again.</summary>
    public IReadOnlyList<TeacherResult> Teachers { get; init; } = [];
    public IReadOnlyList<BaselineResult> Baseline { get; init; } = [];
    public IReadOnlyList<TrialResult> Trials { get; init; } = [];

    /// <summary>A saved teacher checkpoint for a seed (e.g. the dashboard's stored teachers), or null. It must have been
    /// trained on the study's data split (<see cref="Experiments.SavedModelCheck"/>), or the study fails before training.</summary>
    public Func<int, string?>? TeacherFor { get; init; }

    /// <summary>A folder for the study's teachers and finished students (one checkpoint each): a resumed study loads them
    /// instead of training again. Null keeps them in memory only.</summary>
    public string? WorkFolder { get; init; }

    /// <summary>Called in the confirm step with each of the best setting's students (one per seed), to export or keep
    /// them; the model belongs to the study and is disposed after it returns. Not called when there is no best setting.</summary>
    public Action<BestStudent>? BestStudent { get; init; }
}
