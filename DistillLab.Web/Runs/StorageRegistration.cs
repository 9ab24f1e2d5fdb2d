using DistillLab.Web.Runs.RunHistory;
using DistillLab.Web.Settings;
using Microsoft.Extensions.Options;

namespace DistillLab.Web.Runs;

public static class StorageRegistration
{
    /// <summary>The run history where Jobs:Engine says (SQLite in the data folder, or the PostgreSQL database of
    /// ConnectionStrings:DistillLab) and the store over it; every hosted verb registers it the same way.</summary>
    public static IServiceCollection AddDistillLabStorage(this IServiceCollection services)
    {
        services.AddSingleton(sp => HistoryDatabase.From(
            sp.GetRequiredService<IOptions<DataOptions>>().Value,
            sp.GetRequiredService<IOptions<JobsOptions>>().Value,
            sp.GetRequiredService<IConfiguration>().GetConnectionString(JobsOptions.ConnectionStringName),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new RunStore(sp.GetRequiredService<HistoryDatabase>()));
        services.AddSingleton<StoredFiles>();
        return services;
    }
}
