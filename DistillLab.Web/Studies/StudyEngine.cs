using DistillLab.Core;
using DistillLab.Core.Studies;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;
using DistillLab.Web.Settings;
using Microsoft.Extensions.Options;

namespace DistillLab.Web.Studies;

/// <summary>The real study: Core's <see cref="StudyRunner"/> over the configured data folder. Translates the runner's
/// events into the dashboard's callbacks; the runner's SeedStarted and TrialStarted say whose the run events are.</summary>
public sealed class StudyEngine(IOptions<DataOptions> data) : IStudyEngine
{
    private readonly StudyRunner runner = new(data.Value.Environment);

    public StudyOutcome Run(StudyConfig config, StudyFinishedParts done, StudyCallbacks callbacks, CancellationToken cancellationToken)
    {
        int seed = config.Base.Seed;
        TrialKey? trial = null;
        var handed = new Dictionary<int, ReusableModel>();
        var teacherEpochs = new List<EpochMetrics>();
        var inputs = new StudyInputs
        {
            Teachers = done.Teachers.Select(t => new TeacherResult(t.Seed, t.TestAccuracy, t.Reused)).ToList(),
            Baseline = done.Baseline,
            Trials = done.Trials,
            TeacherFor = s =>
            {
                if (callbacks.ReusableTeacher(s) is not { } kept) return null;
                handed[s] = kept;
                return kept.Path;
            },
            WorkFolder = callbacks.WorkFolder,
            BestStudent = callbacks.BestStudent,
        };
        var result = runner.Run(config, inputs, e =>
        {
            switch (e)
            {
                case SeedStarted s:
                    (seed, trial) = (s.Seed, null);
                    teacherEpochs.Clear();
                    break;
                case TeacherReady t:
                    var kept = handed.GetValueOrDefault(t.Teacher.Seed);
                    callbacks.TeacherReady(new StudyTeacher(t.Teacher.Seed, t.Teacher.TestAccuracy, t.Teacher.Reused,
                        t.Teacher.Reused ? kept?.OriginRunId : null, t.Teacher.Reused ? kept?.History : teacherEpochs.ToList()));
                    break;
                case BaselineCompleted b:
                    callbacks.BaselineCompleted(b.Baseline);
                    break;
                case TrialStarted t:
                    trial = t.Trial;
                    callbacks.TrialStarted(t.Trial);
                    break;
                case TrialCompleted c:
                    callbacks.TrialFinished(c.Trial);
                    break;
                case TrialPruned p:
                    callbacks.TrialFinished(p.Trial);
                    break;
                case TrialFailed f:
                    callbacks.TrialFinished(f.Trial);
                    break;
                case TrialCancelled or StudyCompleted:
                    break; // a cancelled trial is trained again on resume; the result comes back below
                default:
                    if (e is EpochCompleted { Model: ModelRole.Teacher } epoch) teacherEpochs.Add(epoch.Metrics);
                    callbacks.ModelEvent(seed, e is PhaseStarted { Model: not ModelRole.StudentDistilled } ? null : trial, e);
                    break;
            }
        }, cancellationToken);
        return new StudyOutcome(result.Best, result.TotalSeconds);
    }
}
