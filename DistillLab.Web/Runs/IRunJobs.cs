namespace DistillLab.Web.Runs;

/// <summary>The job engine behind <see cref="RunRequests"/> under `Jobs:Engine=postgres`: a run becomes a job that any
/// worker may take (Jobs/HangfireRunJobs). Absent on the embedded engine, where the process's own queue trains runs.</summary>
public interface IRunJobs
{
    /// <summary>Queues the stored run as a job; throws when the job store cannot be reached.</summary>
    void Enqueue(string runId);

    /// <summary>Withdraws the run's job: a waiting job is never taken, a running one is stopped by its worker within seconds.</summary>
    void Cancel(string runId);
}
