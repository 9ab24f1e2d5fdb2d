using System.Text.Json.Serialization;
using DistillLab.Core.Studies;

namespace DistillLab.Web.Studies;

public enum StudyStatus { Queued, Running, Completed, Failed, Cancelled }

/// <summary>Everything known about a study so far: the shape of GET /api/studies/{id} and the hub's GetStudy. The
/// finished parts (teachers, baselines, trials, settings, best, totalSeconds) are the study result's JSON
/// (docs/studies.md); the rest is live state: status, times, the trial in progress.</summary>
public sealed record StudyDetails(string Id, StudyStatus Status, StudyConfig Config, DateTimeOffset CreatedAt)
{
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? Error { get; init; }
    public IReadOnlyList<StudyTeacher> Teachers { get; init; } = [];
    public IReadOnlyList<BaselineResult> Baseline { get; init; } = [];
    public IReadOnlyList<TrialResult> Trials { get; init; } = [];
    public BestSetting? Best { get; init; }
    public double? TotalSeconds { get; init; }
    /// <summary>Where it waits in the training queue (1 = next); null when not queued.</summary>
    public int? QueuePosition { get; init; }
    /// <summary>The model training now, for a running study.</summary>
    public StudyProgress? Current { get; init; }
    /// <summary>What a running study does now, in words ("loading data", "seed 43: Teacher").</summary>
    public string? Stage { get; init; }
    /// <summary>How many trials the study trains in all (settings × seeds).</summary>
    public int TrialCount => (int)Config.TrialCount();

    /// <summary>Per setting the sampler picks: mean validation accuracy and the paired difference to the scratch student
    /// over the seeds finished so far (Core's StudySelection, as the runner chooses; validation only).</summary>
    public IReadOnlyList<SettingSummary> Settings => StudySelection.Summarize(StudySampler.Settings(Config), Trials, Baseline);

    public bool IsActive => Status is StudyStatus.Queued or StudyStatus.Running;

    [JsonIgnore] public int FinishedTrials => Trials.Count;

    public static StudyDetails Queued(string id, StudyConfig config) => new(id, StudyStatus.Queued, config, DateTimeOffset.UtcNow);
}
