using System.Text.Json;
using DistillLab.Core;
using DistillLab.Core.Studies;

namespace DistillLab.Web.Cli;

/// <summary>`study --work FOLDER`: the study's finished teachers, baselines and trials, rewritten (all or nothing) as each
/// finishes, so the same command run again resumes where it stopped. The checkpoints lie beside it (StudyInputs.WorkFolder).</summary>
internal sealed record StudyProgressFile(StudyConfig Config, List<TeacherResult> Teachers, List<BaselineResult> Baseline, List<TrialResult> Trials)
{
    public const string FileName = "study-progress.json";

    /// <summary>The progress kept in <paramref name="folder"/>: null when there is none; an error when it is another study's.</summary>
    public static StudyProgressFile? Load(string folder, StudyConfig config, out string? error)
    {
        error = null;
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        var kept = JsonSerializer.Deserialize<StudyProgressFile>(File.ReadAllText(path), StudyResult.JsonOptions);
        if (kept is null || !Same(kept.Config, config))
        {
            error = $"--work '{folder}' holds another study's progress ({FileName}); give another folder, or the same options to resume it.";
            return null;
        }
        return kept;
    }

    /// <summary>Records one finished piece (a cancelled trial is not finished: it is trained again on resume).</summary>
    public void Record(LabEvent e, string folder)
    {
        switch (e)
        {
            case TeacherReady t: Teachers.Add(t.Teacher); break;
            case BaselineCompleted b: Baseline.Add(b.Baseline); break;
            case TrialCompleted c: Trials.Add(c.Trial); break;
            case TrialPruned p: Trials.Add(p.Trial); break;
            case TrialFailed f: Trials.Add(f.Trial); break;
            default: return;
        }
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, FileName), stream => JsonSerializer.Serialize(stream, this, StudyResult.JsonOptions));
    }

    private static bool Same(StudyConfig a, StudyConfig b) =>
        JsonSerializer.Serialize(a, StudyResult.JsonOptions) == JsonSerializer.Serialize(b, StudyResult.JsonOptions);
}
