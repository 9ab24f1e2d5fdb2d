using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Web.Hosting;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Api;

/// <summary>POST /api/runs body: the fields of <see cref="LabConfig"/> (every one optional, defaults as there) plus the
/// service's own: reuseTeacher (on unless switched off) and the run's name and notes (checked by RunLabel).
/// The config part is bound as LabConfig itself, so a new run setting needs no change here.</summary>
public sealed record RunConfigRequest(LabConfig Config, RunServiceOptions Options)
{
    public static RunConfigRequest Empty { get; } = new(new LabConfig(), new RunServiceOptions());

    public static RunConfigRequest Parse(JsonElement body) => new(
        body.Deserialize<LabConfig>(JsonDefaults.Options) ?? new LabConfig(),
        body.Deserialize<RunServiceOptions>(JsonDefaults.Options) ?? new RunServiceOptions());

    public RunRequest ToRequest() => new(Config, Options.ReuseTeacher ?? true, Options.Name, Options.Notes);
}

/// <summary>The parts of a run request that are not lab settings.</summary>
public sealed record RunServiceOptions(bool? ReuseTeacher = null, string? Name = null, string? Notes = null);
