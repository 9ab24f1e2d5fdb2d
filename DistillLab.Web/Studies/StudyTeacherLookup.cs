using DistillLab.Core.Studies;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Studies;

/// <summary>Which kept teacher a study's seed can use instead of training one.</summary>
public sealed class StudyTeacherLookup(ModelReuse reuse, StudyTeachers teachers)
{
    /// <summary>For the base seed, a run's or a study's teacher with the same key (as a run would reuse it); for the
    /// other seeds a study's trained on the same split (<see cref="StudyTeachers.Key"/>). Null: train one.</summary>
    public ReusableModel? Find(StudyConfig config, int seed)
    {
        if (seed != config.Base.Seed) return teachers.Find(StudyTeachers.Key(config, seed));
        var (_, models) = reuse.Apply(config.Base);
        return models.FirstOrDefault(m => m.Role == ModelRole.Teacher);
    }

    /// <summary>As <see cref="Find"/>, without reading the teachers' epochs (for the estimate, on every form change).</summary>
    public bool Has(StudyConfig config, int seed) => seed != config.Base.Seed
        ? teachers.Find(StudyTeachers.Key(config, seed)) is not null
        : reuse.Plan(config.Base).Sources.Any(s => s.Role == ModelRole.Teacher);
}
