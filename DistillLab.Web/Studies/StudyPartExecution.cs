using DistillLab.Core;
using DistillLab.Core.Data;
using DistillLab.Core.Models;
using DistillLab.Core.Studies;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;
using DistillLab.Web.Settings;
using DistillLab.Web.Training;
using Microsoft.Extensions.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillLab.Web.Studies;

/// <summary>One part of a study on a worker of the job engine (Jobs/StudyJob): a seed's teacher, its baseline, a trial,
/// or the confirm step, each with Core's <see cref="StudySteps"/> (the parts the embedded engine's StudyRunner runs in
/// order). What one part leaves for the next is in the database: the teacher's checkpoint and training-set logits
/// (blobs), the finished entries, a completed trial's student. Every finished baseline and trial is stored once.</summary>
public sealed class StudyPartExecution(StudyStore store, StudyTeachers teachers, StudyTeacherLookup lookup, StudyBestModels bestModels,
    StoredFiles files, RunEventStream events, IOptions<DataOptions> data, IOptions<DashboardOptions> dashboard, ILogger<StudyPartExecution> logger)
{
    private static readonly TimeSpan EpochEventWait = TimeSpan.FromMilliseconds(250);
    private readonly Lock gate = new();
    // A worker takes many parts of one study in a row: its data is loaded once.
    private (string StudyId, LabData Data, Device Device)? loaded;

    public static string LogitsFile(int seed) => $"teacher-seed{seed}.logits";

    /// <summary>Baselines and trials in all: when that many are stored the confirm step comes.</summary>
    public static int Parts(StudyConfig config) => config.SeedList().Count * (1 + StudySampler.Settings(config).Count);

    /// <summary>The seed's teacher for the whole cluster: under <paramref name="claim"/> (held by one worker at a time for
    /// this teacher's key), a teacher already kept with that key (a run's, or another study's) is loaded, otherwise it is
    /// trained and kept; then its test figure and training-set logits. One this study stored before (an earlier attempt
    /// of the job) is left as it is.</summary>
    public void Teacher(string studyId, StudyConfig config, int seed, Func<string, IDisposable> claim, CancellationToken cancellationToken)
    {
        var trained = new List<EpochMetrics>();
        var steps = Steps(studyId, config, trained, cancellationToken);
        using var held = claim(StudyTeachers.Key(config, seed));
        string owner = StoredFiles.StudyOwner(studyId);
        if (store.HasPart(studyId, StudyStore.TeacherKind, seed) && files.Fetch(owner, LogitsFile(seed)))
        {
            logger.LogInformation("Study {StudyId}: the teacher of seed {Seed} was ready before this attempt", studyId, seed);
            return;
        }
        var kept = lookup.Find(config, seed);
        using var teacher = kept is not null ? steps.LoadHandedTeacher(kept.Path) : steps.TrainTeacher(seed);
        if (kept is null) ModelCheckpoint.Save(teacher, teacher.Spec, teachers.TeacherPath(studyId, seed), steps.TrainedOn);
        var ready = new StudyTeacher(seed, steps.Test(teacher), kept is not null, kept?.OriginRunId, kept?.History ?? trained);
        using (var logits = steps.Logits(teacher))
        {
            var bytes = logits.ToBytes();
            AtomicFile.Write(files.LocalPath(owner, LogitsFile(seed)), stream => stream.Write(bytes));
        }
        // Files first: an entry says every worker can read them.
        files.UploadNow(owner, kept is null ? [Path.GetFileName(teachers.TeacherPath(studyId, seed)), LogitsFile(seed)] : [LogitsFile(seed)]);
        store.AddTeacher(studyId, ready, kept is null ? StudyTeachers.Key(config, seed) : null);
        events.Publish(new TeacherReadyEvent(studyId, ready));
    }

    public void Baseline(string studyId, StudyConfig config, int seed, Action lastPart, CancellationToken cancellationToken)
    {
        if (store.HasPart(studyId, StudyStore.BaselineKind, seed)) return;
        var baseline = Steps(studyId, config, null, cancellationToken).Baseline(seed);
        if (store.AddBaselineOnce(studyId, baseline, Parts(config), lastPart)) events.Publish(new BaselineCompletedEvent(studyId, baseline));
        else logger.LogInformation("Study {StudyId}: the baseline of seed {Seed} was stored by another attempt", studyId, seed);
    }

    /// <summary>Trains one trial on its seed's stored teacher logits and stores it, unless a finished attempt did.</summary>
    public void Trial(string studyId, StudyConfig config, TrialKey key, string worker, Action lastPart, CancellationToken cancellationToken)
    {
        if (store.HasPart(studyId, StudyStore.TrialKind, key.Seed, StudyStore.SettingKey(key.Setting)))
        {
            logger.LogInformation("Study {StudyId}: trial {Trial} was stored before this attempt", studyId, key);
            return;
        }
        events.Publish(new TrialStartedEvent(studyId, key));
        var steps = Steps(studyId, config, null, cancellationToken);
        string owner = StoredFiles.StudyOwner(studyId);
        using var logits = TeacherLogits.FromBytes(File.ReadAllBytes(files.Require(owner, LogitsFile(key.Seed))), steps.Device);
        var (result, student) = steps.Trial(key, logits, config.Pruning == "halving" ? Rung(studyId, config, key) : null);
        using var _ = student;
        if (result.Status == TrialStatus.Cancelled) throw new OperationCanceledException(cancellationToken);
        result = result with { Worker = worker };
        var studentFiles = new List<(string, byte[])>();
        if (student is not null)
        {
            string name = StudyRunner.StudentFileName(key), path = files.LocalPath(owner, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            ModelCheckpoint.Save(student, student.Spec, path, steps.TrainedOn);
            studentFiles.Add((name, File.ReadAllBytes(path)));
        }
        if (!store.AddTrialOnce(studyId, result, studentFiles, Parts(config), lastPart))
        {
            logger.LogInformation("Study {StudyId}: trial {Trial} was stored by another attempt; this one's result is dropped", studyId, key);
            return;
        }
        logger.LogInformation("Study {StudyId}: trial {Trial} stored ({Status}) by worker {Worker}", studyId, key, result.Status, worker);
        events.PublishAndWait(StudyEvent.TrialEnded(studyId, result), EpochEventWait);
    }

    /// <summary>Successive halving across workers: at a rung the trial's value is recorded in the store and decided on
    /// with every value its seed's trials recorded there so far (HalvingPruner's rule, decided at once as ASHA does: the
    /// order in which trials reach a rung matters, so the choices can differ from the embedded engine's fixed order).</summary>
    private Func<int, double, bool> Rung(string studyId, StudyConfig config, TrialKey key)
    {
        var rungs = HalvingPruner.Rungs(config.Base.StudentEpochs);
        return (epoch, accuracy) => !rungs.Contains(epoch) || HalvingPruner.Decide(store.RecordRung(studyId, key, epoch, accuracy).ToList(), accuracy);
    }

    /// <summary>Chooses the best setting on validation from the stored trials, tests its stored students and the
    /// baselines, keeps the best students and completes the study.</summary>
    public void Confirm(string studyId, CancellationToken cancellationToken)
    {
        // Under the study's lock: the part that queued this job did so inside its own transaction, which must end first.
        if (store.LoadLocked(studyId) is not { Status: StudyStatus.Running } study) return;
        if (study.Baseline.Count + study.Trials.Count < Parts(study.Config))
        {
            // That transaction rolled back after queueing (PostgreSQL went away): its part, done again, queues this again.
            logger.LogWarning("Study {StudyId}: the confirm step found {Done} of {Parts} parts stored; it waits for the rest", studyId,
                study.Baseline.Count + study.Trials.Count, Parts(study.Config));
            return;
        }
        var (_, _, best) = StudySteps.Select(study.Config, study.Trials.ToDictionary(t => t.Key), study.Baseline);
        BestSetting? confirmed = null;
        if (best is { } chosen)
        {
            var steps = Steps(studyId, study.Config, null, cancellationToken);
            var students = new List<StudentNet>();
            try
            {
                confirmed = steps.Confirm(chosen, study.Baseline, key =>
                {
                    var student = ModelCheckpoint.LoadStudent(files.Require(StoredFiles.StudyOwner(studyId), StudyRunner.StudentFileName(key)));
                    student.to(steps.Device);
                    students.Add(student);
                    return student;
                }, kept => bestModels.Keep(studyId, kept));
            }
            finally { students.ForEach(s => s.Dispose()); }
        }
        double seconds = ((study.StartedAt is { } started ? DateTimeOffset.UtcNow - started : TimeSpan.Zero)).TotalSeconds;
        if (!store.End(studyId, StudyStatus.Completed, null, confirmed, seconds)) return;
        files.DeleteNamed(StoredFiles.StudyOwner(studyId), "student-");
        teachers.DeleteStudents(studyId);
        events.Publish(new StudyCompletedEvent(studyId, confirmed, seconds));
        logger.LogInformation("Study {StudyId} completed in {Seconds:F1} s", studyId, seconds);
    }

    /// <summary>The study's parts over its data (loaded once per study on this worker), reporting the model's run events
    /// under the study's id.</summary>
    private StudySteps Steps(string studyId, StudyConfig config, List<EpochMetrics>? teacherEpochs, CancellationToken cancellationToken)
    {
        var throttle = new PhaseClock(dashboard.Value.BatchProgressPerSecond);
        void OnEvent(LabEvent e)
        {
            switch (e)
            {
                case PhaseStarted p:
                    throttle.StartPhase(p.Epochs * p.BatchesPerEpoch);
                    events.Publish(new PhaseStartedEvent(studyId, p.Model, p.Epochs, p.BatchesPerEpoch, p.Parameters));
                    break;
                case BatchProgress b when throttle.Allow() || b.Batch == b.Batches:
                    events.Publish(new BatchProgressEvent(studyId, b.Model, b.Epoch, b.Epochs, b.Batch, b.Batches, b.Loss,
                        throttle.SecondsLeft((b.Epoch - 1) * b.Batches + b.Batch)));
                    break;
                case EpochCompleted c:
                    if (c.Model == ModelRole.Teacher) teacherEpochs?.Add(c.Metrics);
                    events.PublishAndWait(new EpochCompletedEvent(studyId, c.Model, c.Metrics), EpochEventWait);
                    break;
            }
        }
        lock (gate)
        {
            if (loaded is not { } at || at.StudyId != studyId)
            {
                var (labData, device) = StudyRunner.LoadData(config, data.Value.Environment, _ => { }, cancellationToken);
                loaded = at = (studyId, labData, device);
            }
            return new StudySteps(config, at.Data, at.Device, OnEvent, cancellationToken);
        }
    }
}
