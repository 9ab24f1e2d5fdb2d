using DistillLab.Core.Experiments;
using DistillLab.Core.Models;
using DistillLab.Core.Training;
using DistillLab.Web.Studies;

namespace DistillLab.Web.Runs;

/// <summary>A model saved by an earlier run that a new run can use instead of training its own.</summary>
/// <param name="SourceRunId">The run whose saved file is used.</param>
/// <param name="OriginRunId">The run that trained the model: the source, or the run the source itself reused it from.</param>
/// <param name="History">The model's epochs as the origin trained them, so the new run's charts and exports show them.</param>
public sealed record ReusableModel(ModelRole Role, string SourceRunId, string OriginRunId, string Path, IReadOnlyList<EpochMetrics> History);

/// <summary>Finds the teacher and scratch student a run can reuse: the newest completed run whose model was shaped by
/// exactly the same settings (RunRequests.TeacherKey, ScratchKey) and whose saved model file still exists.</summary>
/// <remarks>The run then goes through the same check as `lab --teacher` (Core's SavedModelCheck): the key cannot see
/// whether a folder's files changed since, the file's recorded fingerprint can.</remarks>
/// <param name="studyTeachers">Teachers kept by studies, tried when no run has one; none when not given (tests).</param>
public sealed class ModelReuse(RunStore store, RunArtifacts artifacts, StudyTeachers? studyTeachers = null)
{
    /// <summary>The models that can be reused; the distilled student depends on alpha, T and T², the settings a retune changes.</summary>
    public static readonly ModelRole[] Roles = [ModelRole.Teacher, ModelRole.StudentScratch];

    /// <summary>The run whose saved <paramref name="role"/> model a run with this config would use; null when none.</summary>
    public string? FindSource(ModelRole role, LabConfig config) =>
        store.FindSources(role, Key(role, config)).FirstOrDefault(id => artifacts.HasModel(id, role) && Reusable(artifacts.ModelPath(id, role)));

    /// <summary>The file exists and records what its model was trained on. A model saved before checkpoints recorded it
    /// would be refused by the runner's check (SavedModelCheck), so a run trains its own instead of failing; a damaged
    /// file is still offered, so that the run says what is wrong with it rather than silently training around it.</summary>
    private static bool Reusable(string path)
    {
        if (!File.Exists(path)) return false;
        try { return ModelCheckpoint.ReadHeader(path).TrainedOn is not null; }
        catch (FileNotFoundException) { return false; }
        catch (InvalidDataException) { return true; }
    }

    /// <summary>The models the config can reuse with their source runs, and the config that points the runner at their files.
    /// Cheap (no epochs read): the estimate asks it on every change of the form.</summary>
    public (LabConfig Config, IReadOnlyList<(ModelRole Role, string SourceRunId)> Sources) Plan(LabConfig config)
    {
        var sources = new List<(ModelRole, string)>();
        foreach (var role in Roles)
        {
            if (FindSource(role, config) is { } source)
            {
                sources.Add((role, source));
                var path = artifacts.ModelPath(source, role);
                config = role == ModelRole.Teacher ? config with { TeacherPath = path } : config with { ScratchPath = path };
            }
            // A study keeps its teachers only (its scratch students are baselines of one study).
            else if (role == ModelRole.Teacher && studyTeachers?.Find(config) is { } kept)
            {
                sources.Add((role, kept.SourceRunId));
                config = config with { TeacherPath = kept.Path };
            }
        }
        return (config, sources);
    }

    /// <summary>As <see cref="Plan"/>, with each model's origin run and epochs, for a run about to start.</summary>
    public (LabConfig Config, IReadOnlyList<ReusableModel> Models) Apply(LabConfig config)
    {
        var (planned, sources) = Plan(config);
        var models = new List<ReusableModel>();
        foreach (var (role, source) in sources)
        {
            if (role == ModelRole.Teacher && studyTeachers?.Find(planned) is { } kept && kept.SourceRunId == source && kept.Path == planned.TeacherPath)
            {
                models.Add(kept);
                continue;
            }
            if (store.Load(source) is not { } run)
            {
                // Deleted since the plan: train this model instead.
                planned = role == ModelRole.Teacher ? planned with { TeacherPath = null } : planned with { ScratchPath = null };
                continue;
            }
            var view = run.Model(role);
            models.Add(new ReusableModel(role, source, view.ReusedFrom ?? source, artifacts.ModelPath(source, role), view.History));
        }
        return (planned, models);
    }

    private static string Key(ModelRole role, LabConfig config) =>
        role == ModelRole.Teacher ? RunRequests.TeacherKey(config) : RunRequests.ScratchKey(config);
}
