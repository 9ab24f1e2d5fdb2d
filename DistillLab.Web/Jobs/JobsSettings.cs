namespace DistillLab.Web.Jobs;

/// <summary>The job engine's settings as the Jobs code reads them: `Jobs:Engine`, `Jobs:Workers`, `Jobs:WorkerName` and
/// `ConnectionStrings:DistillLab` (validated at start by the Settings' options).</summary>
/// <param name="Workers">How many runs this process trains at once; 0 = none (a dashboard that only shows).</param>
/// <param name="StopTime">How long a stopping worker waits for its runs' epochs to end (Jobs:StopSeconds, default 120).</param>
public sealed record JobsSettings(bool Postgres, int Workers, string WorkerName, string? ConnectionString, TimeSpan StopTime)
{
    public const string ConnectionName = "DistillLab";

    /// <param name="defaultWorkers">Jobs:Workers when unset: 1 for the dashboard and the worker verb alike.</param>
    public static JobsSettings From(IConfiguration configuration, int defaultWorkers = 1)
    {
        var jobs = configuration.GetSection("Jobs");
        bool postgres = string.Equals(jobs["Engine"], "postgres", StringComparison.OrdinalIgnoreCase);
        int workers = jobs.GetValue<int?>("Workers") ?? defaultWorkers;
        string name = string.IsNullOrWhiteSpace(jobs["WorkerName"]) ? DefaultWorkerName : jobs["WorkerName"]!;
        var stop = TimeSpan.FromSeconds(jobs.GetValue<int?>("StopSeconds") ?? 120);
        return new JobsSettings(postgres, workers, name, configuration.GetConnectionString(ConnectionName), stop);
    }

    /// <summary>Host name and process id: unique on a machine, and says where to look.</summary>
    public static string DefaultWorkerName => $"{Environment.MachineName.ToLowerInvariant()}:{Environment.ProcessId}";

    /// <summary>The connection string, or why the postgres engine cannot start without one.</summary>
    public string RequireConnection() => string.IsNullOrWhiteSpace(ConnectionString)
        ? throw new InvalidOperationException("Jobs:Engine is postgres but ConnectionStrings:DistillLab is empty: set it (or DISTILLLAB_ConnectionStrings__DistillLab) to the PostgreSQL database, e.g. \"Host=127.0.0.1;Port=5432;Username=distilllab;Password=...;Database=distilllab\".")
        : ConnectionString!;
}
