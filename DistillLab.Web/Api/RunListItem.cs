using DistillLab.Core.Experiments;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Api;

/// <summary>A run in GET /api/runs: a row of the list, flat (its models' test accuracies, no epochs), where GET
/// /api/runs/{id} answers with the whole <see cref="RunDetails"/>.</summary>
public sealed record RunListItem
{
    public required string Id { get; init; }
    public required RunStatus Status { get; init; }
    public required LabConfig Config { get; init; }
    public bool ReuseTeacher { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public double? DurationSeconds { get; init; }
    public double? TeacherTestAccuracy { get; init; }
    public double? ScratchTestAccuracy { get; init; }
    public double? DistilledTestAccuracy { get; init; }
    public string? Error { get; init; }

    public static RunListItem From(RunDetails r) => new()
    {
        Id = r.Id, Status = r.Status, Config = r.Config, ReuseTeacher = r.ReuseTeacher, CreatedAt = r.CreatedAt, FinishedAt = r.FinishedAt,
        DurationSeconds = r.StartedAt is { } s && r.FinishedAt is { } f ? (f - s).TotalSeconds : null,
        TeacherTestAccuracy = r.Teacher.TestAccuracy, ScratchTestAccuracy = r.StudentScratch.TestAccuracy,
        DistilledTestAccuracy = r.StudentDistilled.TestAccuracy, Error = r.Error,
    };
}
