using System.Reflection;
using DistillLab.Web.Training.RunHistory.Migrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DistillLab.Web.Runs.RunHistory;

/// <summary>Brings a run history database to the current schema when the app starts.</summary>
public static class RunHistorySchema
{
    /// <summary>Creates a new database, adopts one written before migrations, and applies the migrations it lacks.</summary>
    /// <remarks>
    /// Versions before EF Core created the tables with hand-written SQL and kept no migration history. Such a file
    /// (a runs table, no __EFMigrationsHistory) is brought in place to what the initial migration creates, the way
    /// that version did on start (CREATE TABLE IF NOT EXISTS, then the columns the first release lacked), and the
    /// initial migration is recorded as applied, in one transaction. From there it is an ordinary migrated database:
    /// Migrate() applies any later migration, to it and to a new one alike.
    /// </remarks>
    public static void Upgrade(RunHistoryDb db)
    {
        if (db.Database.IsSqlite())
        {
            // Readers never wait for the writer (the training side writes while pages read); kept in the file.
            db.Database.ExecuteSqlRaw("PRAGMA journal_mode = WAL;");
            AdoptPreMigrationFile(db);
        }
        // Only when something is pending: Migrate() takes EF's lock (a row in __EFMigrationsLock on SQLite) even when
        // there is nothing to do, and a process killed while holding it would leave every later start waiting.
        if (db.Database.GetPendingMigrations().Any()) db.Database.Migrate();
    }

    private static void AdoptPreMigrationFile(RunHistoryDb db)
    {
        var history = db.GetService<IHistoryRepository>();
        if (history.Exists() || !TableExists(db, "runs")) return;
        using var transaction = db.Database.BeginTransaction();
        if (history.Exists()) return; // another process adopted it meanwhile
        // The previous version's own schema statements, kept verbatim: what it would have done on this start.
        db.Database.ExecuteSqlRaw("""
            CREATE TABLE IF NOT EXISTS epochs (
                run_id TEXT NOT NULL, model TEXT NOT NULL, epoch INTEGER NOT NULL, metrics TEXT NOT NULL,
                PRIMARY KEY (run_id, model, epoch));
            CREATE TABLE IF NOT EXISTS predictions (
                run_id TEXT NOT NULL, idx INTEGER NOT NULL, truth INTEGER NOT NULL,
                teacher INTEGER NOT NULL, teacher_conf REAL NOT NULL, scratch INTEGER NOT NULL, scratch_conf REAL NOT NULL,
                distilled INTEGER NOT NULL, distilled_conf REAL NOT NULL, PRIMARY KEY (run_id, idx));
            """);
        foreach (var (column, add) in AddedAfterFirstRelease)
            if (!ColumnExists(db, "runs", column)) db.Database.ExecuteSqlRaw(add);
        db.Database.ExecuteSqlRaw(history.GetCreateIfNotExistsScript());
        db.Database.ExecuteSqlRaw(history.GetInsertScript(new HistoryRow(InitialMigrationId, ProductInfo.GetVersion())));
        transaction.Commit();
    }

    /// <summary>Columns the first release's runs table lacks, and how the previous version added them.</summary>
    private static readonly (string Column, string Add)[] AddedAfterFirstRelease =
    [
        ("scratch_key", "ALTER TABLE runs ADD COLUMN scratch_key TEXT"),
        ("name", "ALTER TABLE runs ADD COLUMN name TEXT"),
        ("notes", "ALTER TABLE runs ADD COLUMN notes TEXT"),
    ];

    /// <summary>The migration that creates the schema the hand-written SQL left (its id carries the date it was made).</summary>
    public static string InitialMigrationId { get; } = typeof(InitialRunHistory).GetCustomAttribute<MigrationAttribute>()!.Id;

    private static bool TableExists(RunHistoryDb db, string table) =>
        db.Database.SqlQuery<int>($"SELECT COUNT(*) AS Value FROM sqlite_master WHERE type = 'table' AND name = {table}").AsEnumerable().Single() > 0;

    private static bool ColumnExists(RunHistoryDb db, string table, string column) =>
        db.Database.SqlQuery<int>($"SELECT COUNT(*) AS Value FROM pragma_table_info({table}) WHERE name = {column}").AsEnumerable().Single() > 0;
}
