using DistillLab.Web.Settings;
using DistillLab.Web.Runs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DistillLab.Tests.Web.Runs;

/// <summary>The order and the failure rules of the run history's writes (see LockedDatabaseTests for a real lock).</summary>
public sealed class RunJournalTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dl-journal-").FullName;
    private readonly RunJournal journal;

    public RunJournalTests() =>
        journal = new RunJournal(new RunStore(Options.Create(new DataOptions { Directory = folder, Roots = [folder] })), NullLogger<RunJournal>.Instance);

    public void Dispose()
    {
        journal.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void AFolderThatRefusesWritesStopsTheRunAtTheFirstWriteAndKeepsItsEndStateForLater()
    {
        var readOnly = new SqliteException("attempt to write a readonly database", 8);
        var error = Assert.Throws<RunStorageException>(() => journal.Write(_ => throw readOnly));
        Assert.Contains("attempt to write a readonly database", error.Message);
        Assert.Contains("make the data folder writable", error.Message);

        // Later writes of the same run would be lost unseen: they stop it too, except its end state, which waits.
        Assert.Throws<RunStorageException>(() => journal.Write(_ => { }));
        bool ended = false;
        journal.Write(_ => { }, () => ended = true, stopOnFailure: false);
        Assert.False(ended);
        Assert.Equal(3, journal.Pending.Count);
    }

    [Fact]
    public void ABusyDatabaseNeverThrowsAndWritesLandInTheOrderTheyWereMade()
    {
        int attempts = 0;
        var order = new List<int>();
        journal.Write(_ => { if (++attempts < 3) throw new SqliteException("database is locked", 5); order.Add(1); });
        journal.Write(_ => order.Add(2));
        Assert.Equal((2, "database is locked"), journal.Pending);
        for (int i = 0; i < 50 && journal.Pending.Count > 0; i++) Thread.Sleep(200);
        Assert.Equal([1, 2], order);
        Assert.Equal((0, (string?)null), journal.Pending);
    }
}
