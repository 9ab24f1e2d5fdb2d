using DistillLab.Web.Settings;

namespace DistillLab.Web.Jobs;

/// <summary>The job engine's settings as the Jobs code reads them: `Jobs:Engine`, `Jobs:Workers`, `Jobs:WorkerName` and
/// `ConnectionStrings:DistillLab` (validated at start by the Settings' options).</summary>
/// <param name="Workers">How many runs this process trains at once; 0 = none (a dashboard that only shows).</param>
/// <param name="StopTime">How long a stopping worker waits for its runs' epochs to end (Jobs:StopSeconds, default 120).</param>
public sealed record JobsSettings(bool Postgres, int Workers, string WorkerName, string? ConnectionString, TimeSpan StopTime)
{
    /// <summary>Read while services are registered (which ones depends on the engine); JobsOptions checks the same
    /// section when the host starts.</summary>
    public static JobsSettings From(IConfiguration configuration)
    {
        var jobs = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        return new JobsSettings(jobs.IsPostgres, jobs.Workers, jobs.EffectiveWorkerName,
            configuration.GetConnectionString(JobsOptions.ConnectionStringName), TimeSpan.FromSeconds(jobs.StopSeconds));
    }

    /// <summary>The connection string, or why the postgres engine cannot start without one.</summary>
    public string RequireConnection() => string.IsNullOrWhiteSpace(ConnectionString)
        ? throw new InvalidOperationException("Jobs:Engine is postgres but ConnectionStrings:DistillLab is empty: set it (or DISTILLLAB_ConnectionStrings__DistillLab) to the PostgreSQL database, e.g. \"Host=127.0.0.1;Port=5432;Username=distilllab;Password=...;Database=distilllab\".")
        : ConnectionString!;
}
