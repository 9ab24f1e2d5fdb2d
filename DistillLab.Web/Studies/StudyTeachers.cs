using DistillLab.Core.Experiments;
using DistillLab.Core.Studies;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;
using DistillLab.Web.Settings;
using Microsoft.Extensions.Options;

namespace DistillLab.Web.Studies;

/// <summary>The teachers studies trained and kept (data/studies/&lt;id&gt;/teacher-seed&lt;N&gt;.ckpt, the file name Core's StudyRunner uses in its work folder), found by the same key
/// as a run's teacher (<see cref="ModelKey"/>): later runs and studies reuse them instead of training again.</summary>
/// <remarks>With Jobs:Engine postgres a kept teacher is uploaded to the database (<see cref="StoredFiles"/>) and fetched
/// into the folder where another machine wants it.</remarks>
/// <param name="files">Where the files are kept besides the folder; none: the folder alone (tests).</param>
public sealed class StudyTeachers(StudyStore store, IOptions<DataOptions> data, StoredFiles? files = null)
{
    private static string TeacherFile(int seed) => $"teacher-seed{seed}.ckpt";

    /// <summary>True when the study's file is in its folder, fetched from the database first where files are kept there.</summary>
    internal bool Fetch(string studyId, string name) =>
        files?.Fetch(StoredFiles.StudyOwner(studyId), name) ?? File.Exists(Path.Combine(StudyDirectory(studyId), name));

    /// <summary>Keeps files of the study's folder where every machine can get them (see <see cref="StoredFiles"/>).</summary>
    internal void Upload(string studyId, params string[] names) => files?.Upload(StoredFiles.StudyOwner(studyId), names);

    /// <summary>Keeps a teacher the study trained (its checkpoint, written by the runner before it said it was ready).</summary>
    public void Keep(string studyId, int seed) => Upload(studyId, TeacherFile(seed));

    public string StudyDirectory(string studyId) => Path.Combine(data.Value.FullDirectory, "studies", studyId);

    public string TeacherPath(string studyId, int seed) => Path.Combine(StudyDirectory(studyId), TeacherFile(seed));

    /// <summary>How a study teacher is named where a run names the run it reused a model from.</summary>
    public static string SourceId(string studyId, int seed) => $"{studyId}/seed-{seed}";

    /// <summary>What shaped a study's teacher for <paramref name="seed"/>: a run's teacher key for the base seed. Every seed
    /// of a study trains on the base seed's split (StudyConfig), which a run of another seed does not, so the other
    /// seeds' keys name the split too: only studies of the same base seed reuse those.</summary>
    public static string Key(StudyConfig study, int seed)
    {
        var key = ModelKey.For(ModelRole.Teacher, study.Base with { Seed = seed }).ToString();
        return seed == study.Base.Seed ? key : $"{key}|split seed {study.Base.Seed}";
    }

    /// <summary>The newest kept study teacher a run with <paramref name="config"/> can use; null when none.</summary>
    public ReusableModel? Find(LabConfig config) => Find(ModelKey.For(ModelRole.Teacher, config).ToString());

    /// <summary>The newest kept study teacher with this key (<see cref="Key"/>); null when none.</summary>
    public ReusableModel? Find(string key)
    {
        foreach (var (studyId, seed) in store.FindTeachers(key))
        {
            var path = TeacherPath(studyId, seed);
            if (!Fetch(studyId, TeacherFile(seed))) continue;
            var source = SourceId(studyId, seed);
            return new ReusableModel(ModelRole.Teacher, source, source, path, store.Teacher(studyId, seed)?.History ?? []);
        }
        return null;
    }

    /// <summary>Removes a finished study's trial checkpoints (the runner keeps them for a resume's confirm step); the best
    /// setting's students, saved apart by <see cref="StudyBestModels"/>, stay.</summary>
    public void DeleteStudents(string studyId)
    {
        var directory = StudyDirectory(studyId);
        if (!Directory.Exists(directory)) return;
        foreach (var file in Directory.EnumerateFiles(directory, "student-*.ckpt")) File.Delete(file);
    }
}
