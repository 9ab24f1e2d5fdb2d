using System.ComponentModel.DataAnnotations.Schema;
using DistillLab.Web.Studies;
using Microsoft.EntityFrameworkCore;

namespace DistillLab.Web.Runs.RunHistory;

// Studies live in the run history's database (same file, same migrations), with names in its style: snake_case,
// structured parts as JSON text.

/// <summary>One row of the studies table: a study's config, state and, once confirmed, its best setting.</summary>
[Table("studies")]
public sealed class StudyRow
{
    [Column("id")] public required string Id { get; set; }
    [Column("status")] public StudyStatus Status { get; set; }
    [Column("created")] public DateTimeOffset Created { get; set; }
    [Column("started")] public DateTimeOffset? Started { get; set; }
    [Column("finished")] public DateTimeOffset? Finished { get; set; }
    /// <summary>The StudyConfig as JSON (base run settings and the space, as the API takes them).</summary>
    [Column("config")] public required string Config { get; set; }
    [Column("error")] public string? Error { get; set; }
    /// <summary>The BestSetting as JSON; null until the confirm step ran.</summary>
    [Column("best")] public string? Best { get; set; }
    [Column("total_seconds")] public double? TotalSeconds { get; set; }
}

/// <summary>One finished part of a study, stored as it finishes: a seed's teacher or baseline, or a trial.</summary>
[Table("study_entries"), PrimaryKey(nameof(StudyId), nameof(Kind), nameof(Seed), nameof(Setting))]
public sealed class StudyEntryRow
{
    [Column("study_id")] public required string StudyId { get; set; }
    /// <summary>teacher | baseline | trial.</summary>
    [Column("kind")] public required string Kind { get; set; }
    [Column("seed")] public int Seed { get; set; }
    /// <summary>A trial's setting ("α|T|T²"); empty for a teacher or a baseline.</summary>
    [Column("setting")] public required string Setting { get; set; }
    /// <summary>Finishing order within the study: halving replays finished trials in the order they ran.</summary>
    [Column("ordinal")] public int Ordinal { get; set; }
    /// <summary>StudyTeacher, BaselineResult or TrialResult as JSON.</summary>
    [Column("entry")] public required string Entry { get; set; }
    /// <summary>For a teacher the study trained: what shaped it (ModelKey), so later runs and studies can reuse its file.</summary>
    [Column("model_key")] public string? ModelKey { get; set; }
    [Column("finished")] public DateTimeOffset Finished { get; set; }
}
