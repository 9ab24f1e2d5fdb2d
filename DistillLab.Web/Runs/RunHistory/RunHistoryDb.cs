using System.Globalization;
using DistillLab.Core.Experiments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;
using DistillLab.Web.Studies;

namespace DistillLab.Web.Runs.RunHistory;

/// <summary>The run history's tables for EF Core. Only <see cref="RunStore"/> opens it (through a HistoryDatabase); the
/// schema changes through migrations (SQLite's in Migrations/, PostgreSQL's in PostgresMigrations/ for the derived
/// <see cref="PostgresRunHistoryDb"/>; docs/decisions.md says how to add one).</summary>
public class RunHistoryDb : DbContext
{
    public RunHistoryDb(DbContextOptions<RunHistoryDb> options) : base(options) { }

    /// <summary>For a provider's own context type (its own migrations).</summary>
    protected RunHistoryDb(DbContextOptions options) : base(options) { }

    public DbSet<RunRow> Runs => Set<RunRow>();
    public DbSet<EpochRow> Epochs => Set<EpochRow>();
    public DbSet<PredictionRow> Predictions => Set<PredictionRow>();
    public DbSet<StudyRow> Studies => Set<StudyRow>();
    public DbSet<StudyEntryRow> StudyEntries => Set<StudyEntryRow>();

    /// <summary>Options for the SQLite file behind <paramref name="connectionString"/>.</summary>
    public static DbContextOptions<RunHistoryDb> Sqlite(string connectionString) =>
        new DbContextOptionsBuilder<RunHistoryDb>().UseSqlite(connectionString).Options;

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // Enum names, as the hand-written SQL stored them (and readable in any database).
        conventions.Properties<RunStatus>().HaveConversion<string>();
        conventions.Properties<ModelRole>().HaveConversion<string>();
        conventions.Properties<StudyStatus>().HaveConversion<string>();
        // SQLite has no date type: times stay ISO 8601 text ("O"), as the hand-written SQL wrote them, so old and new
        // rows sort together as text (EF's own SQLite format differs, and it orders DateTimeOffset only in memory).
        // Another provider keeps its native type (timestamptz on PostgreSQL).
        if (Database.IsSqlite()) conventions.Properties<DateTimeOffset>().HaveConversion<IsoText>();
    }

    private sealed class IsoText() : ValueConverter<DateTimeOffset, string>(
        time => time.ToString("O", CultureInfo.InvariantCulture),
        text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None));
}

/// <summary>For `dotnet ef migrations add` only (it needs a context without starting the app); the app opens the
/// database through <see cref="RunStore"/>.</summary>
public sealed class RunHistoryDesignTimeFactory : IDesignTimeDbContextFactory<RunHistoryDb>
{
    public RunHistoryDb CreateDbContext(string[] args) => new(RunHistoryDb.Sqlite("Data Source=design-time.db"));
}
