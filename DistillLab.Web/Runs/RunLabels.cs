using DistillLab.Core.Experiments;

namespace DistillLab.Web.Runs;

/// <summary>The answer to a rename: the renamed run, or why not (field errors, or no such run).</summary>
public sealed record LabelResult(RunDetails? Run, IReadOnlyList<ConfigError> Errors)
{
    public bool Saved => Run is not null;
    public bool NotFound => Run is null && Errors.Count == 0;
}

/// <summary>Names and notes runs for the Runs page and the API, and tells every open tab (RunChangedEvent).</summary>
public sealed class RunLabels(RunRegistry registry, RunEventStream events)
{
    /// <summary>Replaces the run's name and notes; white space alone clears a field.</summary>
    public LabelResult Set(string id, string? name, string? notes)
    {
        name = RunLabel.Normalize(name);
        notes = RunLabel.Normalize(notes);
        var errors = RunLabel.Validate(name, notes);
        if (errors.Count > 0) return new LabelResult(null, errors);
        if (!registry.SetLabel(id, name, notes)) return new LabelResult(null, []);
        events.Publish(new RunChangedEvent(id));
        return new LabelResult(registry.Get(id), []);
    }
}
