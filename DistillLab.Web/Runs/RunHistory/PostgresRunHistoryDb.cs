using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DistillLab.Web.Runs.RunHistory;

/// <summary>The run history's model on PostgreSQL. Its own type because EF Core keeps one migrations set per provider:
/// this context's are in PostgresMigrations/, generated with dotnet-ef (docs/decisions.md).</summary>
public sealed class PostgresRunHistoryDb(DbContextOptions<PostgresRunHistoryDb> options) : RunHistoryDb(options)
{
    /// <summary>Files of runs and studies (PostgreSQL only: embedded mode keeps them in the data folder alone).</summary>
    public DbSet<BlobRow> Blobs => Set<BlobRow>();

    public static DbContextOptions<PostgresRunHistoryDb> Options(string connectionString) =>
        new DbContextOptionsBuilder<PostgresRunHistoryDb>().UseNpgsql(connectionString).Options;

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        base.ConfigureConventions(conventions);
        // timestamptz takes only UTC offsets from Npgsql; a local time is stored as the same instant in UTC.
        conventions.Properties<DateTimeOffset>().HaveConversion<UtcTime>();
    }

    private sealed class UtcTime() : ValueConverter<DateTimeOffset, DateTimeOffset>(time => time.ToUniversalTime(), time => time);
}

/// <summary>For `dotnet ef migrations add --context PostgresRunHistoryDb` only: no server is contacted.</summary>
public sealed class PostgresRunHistoryDesignTimeFactory : IDesignTimeDbContextFactory<PostgresRunHistoryDb>
{
    public PostgresRunHistoryDb CreateDbContext(string[] args) => new(PostgresRunHistoryDb.Options("Host=localhost;Database=design_time"));
}
