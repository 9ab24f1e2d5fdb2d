using DistillLab.Core.Studies;
using Hangfire;
using Hangfire.Common;

namespace DistillLab.Web.Jobs;

/// <summary>A worker as GET /api/workers and the Workers page show it.</summary>
/// <param name="Name">Jobs:WorkerName (Hangfire keeps it in lower case).</param>
/// <param name="State">idle, training or stopping.</param>
/// <param name="Runs">The ids of the runs and studies it trains now.</param>
/// <param name="Slots">How many jobs it trains at once (Jobs:Workers).</param>
/// <param name="Jobs">What it trains, one line a job: a run's id, or a study's id and the part ("teacher of seed 42",
/// "trial α=0.5, T=5, seed 43", …).</param>
public sealed record WorkerInfo(string Name, string State, IReadOnlyList<string> Runs, int Slots, DateTime? LastHeartbeat, DateTime StartedAt,
    IReadOnlyList<string> Jobs);

/// <summary>The workers Hangfire knows (servers with a heartbeat) and what each trains, from its monitoring API; a
/// worker that stops says so in a hash of its own.</summary>
public sealed class WorkerStatus(JobStorage storage)
{
    private const string Stopping = "distilllab:stopping-workers";

    public IReadOnlyList<WorkerInfo> List()
    {
        var monitoring = storage.GetMonitoringApi();
        var training = monitoring.ProcessingJobs(0, 1000).Where(j => j.Value.InProcessingState)
            .ToLookup(j => j.Value.ServerId, j => (Id: j.Value.Job?.Args.FirstOrDefault() as string ?? j.Key, Job: Describe(j.Value.Job, j.Key)));
        using var connection = storage.GetConnection();
        var stopping = connection.GetAllEntriesFromHash(Stopping) ?? new Dictionary<string, string>();
        return monitoring.Servers().Select(server =>
        {
            string name = NameOf(server.Name);
            var jobs = training[server.Name].ToList();
            string state = stopping.ContainsKey(name) ? "stopping" : jobs.Count > 0 ? "training" : "idle";
            return new WorkerInfo(name, state, [.. jobs.Select(j => j.Id).Distinct()], server.WorkersCount, server.Heartbeat, server.StartedAt,
                [.. jobs.Select(j => j.Job)]);
        }).OrderBy(w => w.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Marks this worker as stopping (SIGTERM): it finishes its epoch and hands its runs back.</summary>
    public void MarkStopping(string workerName)
    {
        using var connection = storage.GetConnection();
        connection.SetRangeInHash(Stopping, [new(workerName.ToLowerInvariant(), DateTime.UtcNow.ToString("O"))]);
    }

    /// <summary>A job as a person reads it: a run is its id; a study part names the study and the part.</summary>
    internal static string Describe(Job? job, string jobId)
    {
        if (job?.Args is not [string id, ..] args) return jobId;
        return job.Method.Name switch
        {
            nameof(StudyJob.Teacher) => $"{id}: teacher of seed {args[1]}",
            nameof(StudyJob.Baseline) => $"{id}: baseline of seed {args[1]}",
            nameof(StudyJob.Trial) => $"{id}: trial {new TrialKey((double)args[2]!, (double)args[3]!, (bool)args[4]!, (int)args[1]!)}",
            nameof(StudyJob.Confirm) => $"{id}: confirm step",
            _ => id,
        };
    }

    // Hangfire names a server "<ServerName>:<process id>:<guid>", in lower case.
    internal static string NameOf(string serverId)
    {
        int guid = serverId.LastIndexOf(':');
        int pid = guid > 0 ? serverId.LastIndexOf(':', guid - 1) : -1;
        return pid > 0 ? serverId[..pid] : serverId;
    }
}
