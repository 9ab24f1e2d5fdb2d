using Hangfire;

namespace DistillLab.Web.Jobs;

/// <summary>A worker as GET /api/workers and the Workers page show it.</summary>
/// <param name="Name">Jobs:WorkerName (Hangfire keeps it in lower case).</param>
/// <param name="State">idle, training or stopping.</param>
/// <param name="Runs">The runs it trains now.</param>
/// <param name="Slots">How many runs it trains at once (Jobs:Workers).</param>
public sealed record WorkerInfo(string Name, string State, IReadOnlyList<string> Runs, int Slots, DateTime? LastHeartbeat, DateTime StartedAt);

/// <summary>The workers Hangfire knows (servers with a heartbeat) and what each trains, from its monitoring API; a
/// worker that stops says so in a hash of its own.</summary>
public sealed class WorkerStatus(JobStorage storage)
{
    private const string Stopping = "distilllab:stopping-workers";

    public IReadOnlyList<WorkerInfo> List()
    {
        var monitoring = storage.GetMonitoringApi();
        var training = monitoring.ProcessingJobs(0, 1000).Where(j => j.Value.InProcessingState)
            .ToLookup(j => j.Value.ServerId, j => j.Value.Job?.Args.FirstOrDefault() as string ?? j.Key);
        using var connection = storage.GetConnection();
        var stopping = connection.GetAllEntriesFromHash(Stopping) ?? new Dictionary<string, string>();
        return monitoring.Servers().Select(server =>
        {
            string name = NameOf(server.Name);
            var runs = training[server.Name].ToList();
            string state = stopping.ContainsKey(name) ? "stopping" : runs.Count > 0 ? "training" : "idle";
            return new WorkerInfo(name, state, runs, server.WorkersCount, server.Heartbeat, server.StartedAt);
        }).OrderBy(w => w.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Marks this worker as stopping (SIGTERM): it finishes its epoch and hands its runs back.</summary>
    public void MarkStopping(string workerName)
    {
        using var connection = storage.GetConnection();
        connection.SetRangeInHash(Stopping, [new(workerName.ToLowerInvariant(), DateTime.UtcNow.ToString("O"))]);
    }

    // Hangfire names a server "<ServerName>:<process id>:<guid>", in lower case.
    internal static string NameOf(string serverId)
    {
        int guid = serverId.LastIndexOf(':');
        int pid = guid > 0 ? serverId.LastIndexOf(':', guid - 1) : -1;
        return pid > 0 ? serverId[..pid] : serverId;
    }
}
