using DistillLab.Web.Runs;
using DistillLab.Web.Runs.RunHistory;
using DistillLab.Web.Studies;
using Hangfire;
using Hangfire.PostgreSql;

namespace DistillLab.Web.Jobs;

public static class JobsExtensions
{
    /// <summary>The job engine. Embedded: nothing here (the process's own queue trains). Postgres: Hangfire on
    /// ConnectionStrings:DistillLab (schema `hangfire`), runs submitted as jobs, events bridged between processes, and a
    /// Hangfire server training `Jobs:Workers` runs at once when that is above 0.</summary>
    public static IServiceCollection AddDistillLabJobs(this IServiceCollection services, JobsSettings settings)
    {
        services.AddSingleton(settings);
        if (!settings.Postgres) return services;
        services.AddSingleton<RemoteRuns>();
        services.AddSingleton<IRunJobs, HangfireRunJobs>();
        services.AddSingleton<WorkerStatus>();
        services.AddTransient<RunJob>();
        services.AddSingleton<HangfireStudyJobs>();
        services.AddSingleton<IStudyJobs>(sp => sp.GetRequiredService<HangfireStudyJobs>());
        services.AddSingleton<StudyPartExecution>();
        services.AddTransient<StudyJob>();
        services.AddHostedService<RunEventBridge>();
        services.AddHangfire(hangfire =>
        {
            PrepareHangfireSchema(settings.RequireConnection());
            hangfire
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(settings.RequireConnection), StorageOptions());
        });
        if (settings.Workers <= 0) return services;
        services.AddHangfireServer(server =>
        {
            server.ServerName = settings.WorkerName;
            server.WorkerCount = settings.Workers;
            // A withdrawn job (a cancelled run) is seen within a second, not Hangfire's default 5 s.
            server.CancellationCheckInterval = TimeSpan.FromSeconds(1);
            // A worker that vanished leaves the list within a minute (defaults: 30 s heartbeat, 5 min timeout).
            server.HeartbeatInterval = TimeSpan.FromSeconds(10);
            server.ServerTimeout = TimeSpan.FromMinutes(1);
            server.ServerCheckInterval = TimeSpan.FromSeconds(30);
            // SIGTERM: a run finishes its epoch and is handed back (RunJob); past this the job is stopped mid-epoch and
            // Hangfire requeues it.
            server.StopTimeout = settings.StopTime;
            server.ShutdownTimeout = settings.StopTime + TimeSpan.FromSeconds(10);
        });
        services.Configure<HostOptions>(host => host.ShutdownTimeout = settings.StopTime + TimeSpan.FromSeconds(20));
        services.AddHostedService<StoppingNotice>();
        return services;
    }

    /// <summary>Creates or upgrades Hangfire's tables under the lock the run history's migrations take: processes
    /// started together on an empty database would otherwise race to create them (Hangfire's own preparation is off).</summary>
    internal static void PrepareHangfireSchema(string connectionString) =>
        SchemaLock.Hold(connectionString, connection => PostgreSqlObjectsInstaller.Install(connection, StorageOptions().SchemaName));

    /// <summary>Where a killed worker's job becomes visible to other workers again: a job's fetch time is renewed every
    /// 12 s while it runs (sliding), so a job untouched for a minute belonged to a dead process; workers look for work
    /// every second (and at once on Hangfire's own new-job NOTIFY). A killed worker's run starts again within ~75 s.</summary>
    internal static PostgreSqlStorageOptions StorageOptions() => new()
    {
        SchemaName = "hangfire",
        PrepareSchemaIfNecessary = false, // done under SchemaLock when the storage is first needed
        InvisibilityTimeout = TimeSpan.FromMinutes(1),
        UseSlidingInvisibilityTimeout = true,
        QueuePollInterval = TimeSpan.FromSeconds(1),
        // Hangfire's locks are rows; one whose release a PostgreSQL restart cut off stays until it is this old, and a
        // job whose state lock it is cannot start until then (default 10 min; a study's job waited past 6 min in a
        // restart test). Hangfire holds these locks for milliseconds.
        DistributedLockTimeout = TimeSpan.FromMinutes(1),
        EnableLongPolling = true,
    };

    /// <summary>Tells the Workers page that this process stops, as soon as it is asked to.</summary>
    private sealed class StoppingNotice(IHostApplicationLifetime lifetime, WorkerStatus workers, JobsSettings settings,
        ILogger<StoppingNotice> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopping.Register(() =>
            {
                logger.LogInformation("Worker {Worker} stops: each run finishes its epoch and is handed back", settings.WorkerName);
                try { workers.MarkStopping(settings.WorkerName); }
                catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException) { }
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
