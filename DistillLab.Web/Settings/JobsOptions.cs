using Microsoft.Extensions.Options;
using Npgsql;

namespace DistillLab.Web.Settings;

/// <summary>The "Jobs" section: where runs and studies are kept and trained (docs/scale-out.md).</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";
    public const string Embedded = "embedded", Postgres = "postgres";

    /// <summary>The connection string PostgreSQL mode uses: ConnectionStrings:DistillLab.</summary>
    public const string ConnectionStringName = "DistillLab";

    /// <summary>embedded: this process alone, its history in SQLite in the data folder (the default); postgres: the
    /// history, the models and the job queue in the PostgreSQL database of ConnectionStrings:DistillLab, shared by
    /// every dashboard and worker.</summary>
    public string Engine { get; set; } = Embedded;

    /// <summary>How many jobs this process trains at once; 0: none (a dashboard that only shows).</summary>
    public int Workers { get; set; } = 1;

    /// <summary>This process's name among the workers; empty: host name and process id.</summary>
    public string WorkerName { get; set; } = "";

    /// <summary>How long a stopping worker waits for its runs' epochs to end before they are stopped mid-epoch.</summary>
    public int StopSeconds { get; set; } = 120;

    public const int MaxWorkers = 64, MaxWorkerNameLength = 100, MaxStopSeconds = 3600;

    public bool IsPostgres => string.Equals(Engine, Postgres, StringComparison.OrdinalIgnoreCase);

    /// <summary>The name this process goes by: WorkerName, or "host:pid" when it is empty.</summary>
    public string EffectiveWorkerName =>
        string.IsNullOrWhiteSpace(WorkerName) ? $"{Environment.MachineName}:{Environment.ProcessId}" : WorkerName.Trim();

    /// <summary>What is wrong with these settings (with the connection string PostgreSQL mode would use), each naming
    /// the setting and what it may be; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems(string? connectionString)
    {
        var problems = new List<string>();
        bool known = IsPostgres || string.Equals(Engine, Embedded, StringComparison.OrdinalIgnoreCase);
        if (!known)
            problems.Add($"Jobs:Engine must be \"{Embedded}\" (one process, SQLite in the data folder) or \"{Postgres}\" " +
                         $"(PostgreSQL named by ConnectionStrings:{ConnectionStringName}); got \"{Engine}\".");
        if (Workers is < 0 or > MaxWorkers)
            problems.Add($"Jobs:Workers must be a whole number from 0 (train nothing: UI only) to {MaxWorkers} (jobs this process trains at once); got {Workers}.");
        if (WorkerName.Length > MaxWorkerNameLength || WorkerName.Any(char.IsControl))
            problems.Add($"Jobs:WorkerName must be at most {MaxWorkerNameLength} characters without control characters (empty: host name and process id).");
        if (StopSeconds is < 0 or > MaxStopSeconds)
            problems.Add($"Jobs:StopSeconds must be a whole number of seconds from 0 to {MaxStopSeconds} (how long a stopping worker waits for its runs' epochs to end); got {StopSeconds}.");
        if (IsPostgres) problems.AddRange(ConnectionStringProblems(connectionString));
        return problems;
    }

    private static IEnumerable<string> ConnectionStringProblems(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            yield return $"ConnectionStrings:{ConnectionStringName} is required when Jobs:Engine is \"{Postgres}\": the PostgreSQL " +
                         $"database every dashboard and worker shares, e.g. \"Host=db.example;Database=distilllab;Username=distilllab;Password=...\" " +
                         $"(environment variable DISTILLLAB_ConnectionStrings__{ConnectionStringName}).";
            yield break;
        }
        string? error = null;
        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(parsed.Host)) error = "it names no Host";
        }
        // The message names the bad keyword, never the value (it may hold a password).
        catch (ArgumentException e) { error = e.Message; }
        if (error is not null)
            yield return $"ConnectionStrings:{ConnectionStringName} is not a usable PostgreSQL connection string ({error}); " +
                         "it looks like \"Host=db.example;Port=5432;Database=distilllab;Username=distilllab;Password=...\".";
    }
}

/// <summary>Checks JobsOptions at start, with ConnectionStrings:DistillLab read from the same configuration.</summary>
public sealed class JobsOptionsValidator(IConfiguration configuration) : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        var problems = options.Problems(configuration.GetConnectionString(JobsOptions.ConnectionStringName));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

public static class JobsOptionsRegistration
{
    /// <summary>Binds the Jobs section and checks it (with ConnectionStrings:DistillLab) when the host starts; every
    /// hosted verb (dashboard, worker) registers it the same way.</summary>
    public static IServiceCollection AddJobsOptions(this IServiceCollection services)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JobsOptions>, JobsOptionsValidator>();
        return services;
    }
}
