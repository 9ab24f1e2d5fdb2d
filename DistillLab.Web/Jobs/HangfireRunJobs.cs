using DistillLab.Web.Runs;
using Hangfire;
using Hangfire.States;

namespace DistillLab.Web.Jobs;

/// <summary>Runs as Hangfire jobs: the argument is the run id only (everything else is in the database); the run's job
/// id is kept in a Hangfire hash so that a cancel can withdraw the job.</summary>
public sealed class HangfireRunJobs(IBackgroundJobClient client, JobStorage storage) : IRunJobs
{
    internal const string JobIds = "distilllab:run-jobs";

    public void Enqueue(string runId)
    {
        string jobId = client.Enqueue<RunJob>(job => job.Train(runId, null!, CancellationToken.None));
        using var connection = storage.GetConnection();
        connection.SetRangeInHash(JobIds, [new(runId, jobId)]);
    }

    public void Cancel(string runId)
    {
        using var connection = storage.GetConnection();
        // Deleted: a waiting job is dropped when fetched; a running one's token is aborted by its server's watcher.
        if (((Hangfire.Storage.JobStorageConnection)connection).GetValueFromHash(JobIds, runId) is { } jobId)
            client.ChangeState(jobId, new DeletedState { Reason = "The run was cancelled." });
    }
}
