using DistillLab.Core.Studies;
using DistillLab.Web.Studies;
using Hangfire;
using Hangfire.States;

namespace DistillLab.Web.Jobs;

/// <summary>A study as Hangfire jobs (<see cref="StudyJob"/>): per seed a teacher job, and its baseline and trials as
/// continuations that wait for it; the confirm job is queued by the part that finishes last. Arguments are ids and the
/// trial's setting only; the rest is in the database. The study's job ids are kept in a Hangfire hash for a cancel.</summary>
public sealed class HangfireStudyJobs(IBackgroundJobClient client, JobStorage storage) : IStudyJobs
{
    internal const string JobIds = "distilllab:study-jobs";

    public void Enqueue(StudyDetails study)
    {
        var ids = new List<string>();
        var settings = StudySampler.Settings(study.Config);
        string id = study.Id;
        foreach (int seed in study.Config.SeedList())
        {
            string teacher = client.Enqueue<StudyJob>(job => job.Teacher(id, seed, null!, CancellationToken.None));
            ids.Add(teacher);
            ids.Add(client.ContinueJobWith<StudyJob>(teacher, job => job.Baseline(id, seed, null!, CancellationToken.None)));
            foreach (var s in settings)
                ids.Add(client.ContinueJobWith<StudyJob>(teacher,
                    job => job.Trial(id, seed, s.Alpha, s.Temperature, s.ScaleByTemperatureSquared, null!, CancellationToken.None)));
        }
        Remember(id, ids);
    }

    /// <summary>Queues the confirm step (the study's last baseline or trial just finished).</summary>
    internal void EnqueueConfirm(string studyId) => Remember(studyId, [client.Enqueue<StudyJob>(job => job.Confirm(studyId, null!, CancellationToken.None))]);

    public void Cancel(string studyId)
    {
        foreach (string jobId in Known(studyId))
            client.ChangeState(jobId, new DeletedState { Reason = "The study was cancelled." });
    }

    private void Remember(string studyId, IEnumerable<string> jobIds)
    {
        using var connection = storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();
        foreach (string jobId in jobIds) transaction.AddToSet($"{JobIds}:{studyId}", jobId);
        transaction.Commit();
    }

    private IReadOnlyList<string> Known(string studyId)
    {
        using var connection = storage.GetConnection();
        return [.. connection.GetAllItemsFromSet($"{JobIds}:{studyId}")];
    }
}
