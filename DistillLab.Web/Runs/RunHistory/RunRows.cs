using System.ComponentModel.DataAnnotations.Schema;
using DistillLab.Core.Experiments;
using Microsoft.EntityFrameworkCore;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Runs.RunHistory;

// The table and column names are the ones the hand-written SQL used (snake_case), so a file written before EF Core is
// the same schema. Structured parts (config, data summary, results, epoch metrics) stay JSON text as before.

/// <summary>One row of the runs table: a run's request, state and results (without epoch histories).</summary>
[Table("runs")]
public sealed class RunRow
{
    [Column("id")] public required string Id { get; set; }
    [Column("status")] public RunStatus Status { get; set; }
    [Column("created")] public DateTimeOffset Created { get; set; }
    [Column("started")] public DateTimeOffset? Started { get; set; }
    [Column("finished")] public DateTimeOffset? Finished { get; set; }
    /// <summary>The run's LabConfig as JSON.</summary>
    [Column("config")] public required string Config { get; set; }
    [Column("reuse_teacher")] public bool ReuseTeacher { get; set; }
    [Column("teacher_key")] public required string TeacherKey { get; set; }
    [Column("teacher_from")] public string? TeacherFrom { get; set; }
    [Column("error")] public string? Error { get; set; }
    [Column("image_size")] public int? ImageSize { get; set; }
    [Column("device")] public string? Device { get; set; }
    /// <summary>The DataSummary as JSON.</summary>
    [Column("data")] public string? Data { get; set; }
    /// <summary>The three models' results (ModelView without history) as JSON.</summary>
    [Column("results")] public string? Results { get; set; }
    [Column("total_seconds")] public double? TotalSeconds { get; set; }
    // Added after the first release (databases written by it gain them on first start: RunHistorySchema).
    [Column("scratch_key")] public string? ScratchKey { get; set; }
    [Column("name")] public string? Name { get; set; }
    [Column("notes")] public string? Notes { get; set; }
}

/// <summary>One model's metrics for one epoch of a run (EpochMetrics as JSON).</summary>
[Table("epochs"), PrimaryKey(nameof(RunId), nameof(Model), nameof(Epoch))]
public sealed class EpochRow
{
    [Column("run_id")] public required string RunId { get; set; }
    [Column("model")] public ModelRole Model { get; set; }
    [Column("epoch")] public int Epoch { get; set; }
    [Column("metrics")] public required string Metrics { get; set; }
}

/// <summary>One test image of a run: its true class and each model's predicted class and confidence.</summary>
[Table("predictions"), PrimaryKey(nameof(RunId), nameof(Index))]
public sealed class PredictionRow
{
    [Column("run_id")] public required string RunId { get; set; }
    [Column("idx")] public int Index { get; set; }
    [Column("truth")] public int Truth { get; set; }
    [Column("teacher")] public int Teacher { get; set; }
    [Column("teacher_conf")] public double TeacherConfidence { get; set; }
    [Column("scratch")] public int Scratch { get; set; }
    [Column("scratch_conf")] public double ScratchConfidence { get; set; }
    [Column("distilled")] public int Distilled { get; set; }
    [Column("distilled_conf")] public double DistilledConfidence { get; set; }
}

/// <summary>One file of a run's or a study's folder kept in the database (PostgreSQL only: Jobs:Engine postgres), so a
/// machine without the folder can fetch it.</summary>
[Table("blobs"), PrimaryKey(nameof(Owner), nameof(Name))]
public sealed class BlobRow
{
    /// <summary>The folder it belongs to, relative to the data folder: "runs/&lt;id&gt;" or "studies/&lt;id&gt;".</summary>
    [Column("owner")] public required string Owner { get; set; }
    /// <summary>The file name inside that folder.</summary>
    [Column("name")] public required string Name { get; set; }
    [Column("bytes")] public required byte[] Bytes { get; set; }
    [Column("created")] public DateTimeOffset Created { get; set; }
}
