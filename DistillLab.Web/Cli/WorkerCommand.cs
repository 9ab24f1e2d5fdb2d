using DistillLab.Core.Runtime;
using DistillLab.Web.Hosting;
using DistillLab.Web.Jobs;
using DistillLab.Web.Runs.RunHistory;
using DistillLab.Web.Settings;
using Npgsql;

namespace DistillLab.Web.Cli;

/// <summary>`worker`: a headless process (no web server) that trains runs from the job store until it is stopped.
/// Settings as the dashboard's (appsettings.json, DISTILLLAB_Section__Key, --Section:Key=value); Jobs:Engine must be
/// postgres. SIGTERM or Ctrl+C: each run finishes its epoch and is handed back to the queue.</summary>
public static class WorkerCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddDistillLabSources();
        var options = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        var problems = options.Problems(builder.Configuration.GetConnectionString(JobsOptions.ConnectionStringName)).ToList();
        if (!options.IsPostgres) problems.Add("worker: Jobs:Engine must be postgres (DISTILLLAB_Jobs__Engine=postgres): a worker takes its runs from PostgreSQL.");
        if (options.Workers < 1) problems.Add($"worker: Jobs:Workers must be 1 or more for a worker (runs it trains at once); got {options.Workers}.");
        if (problems.Count > 0)
        {
            foreach (var problem in problems.Distinct()) Console.Error.WriteLine(problem);
            return 2;
        }
        var jobs = JobsSettings.From(builder.Configuration);
        string connection = jobs.RequireConnection();
        // Hangfire's logs of an unreachable database are stack traces every few seconds; one line a try says it better.
        // Logging:LogLevel:Hangfire (DISTILLLAB_Logging__LogLevel__Hangfire=Information) turns them back on to debug it.
        if (builder.Configuration["Logging:LogLevel:Hangfire"] is null) builder.Logging.AddFilter("Hangfire", LogLevel.Critical);
        builder.Services.AddDistillLabServices(jobs);
        using var host = builder.Build();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        if (!await WaitForDatabase(connection, stop.Token)) return 1;
        TorchRuntime.Configure(builder.Configuration.GetSection("Torch").Get<TorchSettings>() ?? new TorchSettings());
        Console.Error.WriteLine($"worker {jobs.WorkerName}: training up to {jobs.Workers} run(s) at once; Ctrl+C or SIGTERM hands them back.");
        await host.RunAsync();
        return 0;
    }

    /// <summary>Waits until PostgreSQL answers, saying so once per try with a growing pause (DatabaseRetry.UntilReachable:
    /// 1 s to 30 s); false when stopped (Ctrl+C) meanwhile.</summary>
    private static async Task<bool> WaitForDatabase(string connectionString, CancellationToken cancellationToken)
    {
        var where = new NpgsqlConnectionStringBuilder(connectionString);
        var untilReachable = DatabaseRetry.Pipeline(DatabaseRetry.UntilReachable, DatabaseRetry.IsConnectionLost, notice =>
            Console.Error.WriteLine($"worker: PostgreSQL at {where.Host}:{where.Port} (database {where.Database}) cannot be reached ({notice.Error.Message}); retrying in {notice.Seconds} s"));
        try
        {
            await untilReachable.ExecuteAsync(async token =>
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(token);
            }, cancellationToken);
            return true;
        }
        catch (OperationCanceledException) { return false; }
    }
}
