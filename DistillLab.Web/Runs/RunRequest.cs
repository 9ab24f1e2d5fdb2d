using DistillLab.Core.Experiments;

namespace DistillLab.Web.Runs;

/// <summary>What a user asks for: the lab config plus the service-level choice to reuse a trained teacher and
/// scratch student (<see cref="ModelReuse"/>; the name ReuseTeacher is kept for API compatibility), and optionally
/// a name and notes for the run (see <see cref="RunLabel"/>).</summary>
public sealed record RunRequest(LabConfig Config, bool ReuseTeacher = true, string? Name = null, string? Notes = null);
