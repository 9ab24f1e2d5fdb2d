using DistillLab.Tests.Support;
using DistillLab.Web.Jobs;
using DistillLab.Web.Runs.RunHistory;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DistillLab.Tests.Web.Runs.RunHistory;

/// <summary>Start-up schema work from many processes at once on one empty database (each connection here is what a
/// process would open): the run history's migrations and Hangfire's tables are made once, and nobody fails.</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class SchemaLockTests(PostgresServer server)
{
    [Fact]
    public void ManyStartsAtOnceOnAnEmptyDatabaseEachPrepareItWithoutError()
    {
        string database = server.CreateDatabase("race");
        const int starts = 6;
        using var together = new Barrier(starts);
        var errors = new List<Exception>();
        var threads = Enumerable.Range(0, starts).Select(_ => new Thread(() =>
        {
            together.SignalAndWait();
            try
            {
                new PostgresHistory(database, NullLogger.Instance).Prepare();
                JobsExtensions.PrepareHangfireSchema(database);
            }
            catch (Exception e) { lock (errors) errors.Add(e); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.Message)));
        Assert.Equal(2L, Scalar(database, "SELECT COUNT(*) FROM \"__EFMigrationsHistory\""));
        Assert.Equal(1L, Scalar(database, "SELECT COUNT(*) FROM hangfire.schema"));
    }

    [Fact]
    public void TheLockIsFreeAgainWhenItsHolderIsDone()
    {
        string database = server.CreateDatabase("lock");
        SchemaLock.Hold(database, _ => { });
        var took = Task.Run(() => SchemaLock.Hold(database, _ => { }));
        Assert.True(took.Wait(TimeSpan.FromSeconds(20)), "a second holder waited for a lock nobody holds");
    }

    private static object? Scalar(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }
}
