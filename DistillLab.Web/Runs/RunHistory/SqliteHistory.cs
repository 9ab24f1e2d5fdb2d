using DistillLab.Web.Settings;
using Microsoft.Data.Sqlite;

namespace DistillLab.Web.Runs.RunHistory;

/// <summary>The run history in the data folder's distilllab.db (Jobs:Engine embedded, the default).</summary>
public sealed class SqliteHistory : HistoryDatabase
{
    private readonly string folder;
    private readonly string connectionString;
    private readonly Microsoft.EntityFrameworkCore.DbContextOptions<RunHistoryDb> options;

    public SqliteHistory(string dataFolder)
    {
        folder = dataFolder;
        Location = Path.Combine(dataFolder, "distilllab.db");
        // A locked database answers within 5 s (the default 30 s held the training thread); RunJournal retries writes.
        connectionString = new SqliteConnectionStringBuilder { DataSource = Location, Pooling = true, DefaultTimeout = 5 }.ToString();
        options = RunHistoryDb.Sqlite(connectionString);
    }

    public override string Location { get; }

    public override string WhatToDo => "make the data folder writable (or free space) and start it again";

    public override RunHistoryDb Open() => new(options);

    public override void Prepare()
    {
        try
        {
            Directory.CreateDirectory(folder);
            using var db = Open();
            RunHistorySchema.Upgrade(db);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new DataFolderException(folder, e);
        }
    }

    /// <remarks>Plain SQLite on purpose: EF Core cannot ask for the write lock without waiting for it, and neither can a
    /// SqliteCommand (Microsoft.Data.Sqlite retries a busy statement until its timeout, and a timeout of 0 means
    /// forever). sqlite3_exec answers SQLITE_BUSY at once.</remarks>
    public override bool IsFreeToWrite()
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        try
        {
            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            return SQLitePCL.raw.sqlite3_exec(connection.Handle, "BEGIN IMMEDIATE; ROLLBACK;") == SQLitePCL.raw.SQLITE_OK;
        }
        catch (SqliteException) { return false; }
    }
}
