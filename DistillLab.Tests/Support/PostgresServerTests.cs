using Npgsql;

namespace DistillLab.Tests.Support;

/// <summary>The throwaway PostgreSQL cluster the scale-out tests stand on: it answers, keeps data over a restart, and
/// refuses connections while stopped (what the fault tests rely on).</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public void AFreshDatabaseAnswersAQueryOnALoopbackPortOtherThanTheDefault()
    {
        Assert.NotEqual(5432, server.Port);
        using var connection = new NpgsqlConnection(server.CreateDatabase());
        connection.Open();
        using var query = new NpgsqlCommand("SELECT current_database(), 6 * 7", connection);
        using var reader = query.ExecuteReader();
        Assert.True(reader.Read());
        Assert.StartsWith("test_", reader.GetString(0));
        Assert.Equal(42, reader.GetInt32(1));
    }

    [Fact]
    public void ARestartBreaksOpenConnectionsAndKeepsTheData()
    {
        string database = server.CreateDatabase("restart");
        Execute(database, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (7);");
        using var open = new NpgsqlConnection(database);
        open.Open();

        server.Restart();

        Assert.ThrowsAny<NpgsqlException>(() => new NpgsqlCommand("SELECT 1", open).ExecuteScalar());
        Assert.Equal(7, Scalar(database, "SELECT v FROM kept"));
    }

    [Fact]
    public void AStoppedServerRefusesConnectionsUntilItStartsAgain()
    {
        string database = server.CreateDatabase("stopped");
        server.Stop();
        try
        {
            var refused = Assert.ThrowsAny<NpgsqlException>(() => Scalar(database, "SELECT 1"));
            Assert.True(refused.IsTransient, $"A refused connection is transient (a client retries it): {refused}");
        }
        finally { server.Start(); }
        Assert.Equal(1, Scalar(database, "SELECT 1"));
    }

    [Fact]
    public void MissingServerProgramsFailTheTestWithWhatToRunNeverASkip()
    {
        using var empty = new TempFolder();
        var error = Assert.Throws<InvalidOperationException>(() => new PostgresServer(empty.Path, empty.Path));
        Assert.Contains("initdb, pg_ctl", error.Message);
        Assert.Contains("scripts/setup.sh --tests", error.Message);
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        new NpgsqlCommand(sql, connection).ExecuteNonQuery();
    }

    private static int Scalar(string connectionString, string sql)
    {
        // Unpooled: a pooled connection from before a restart would be a broken one.
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        connection.Open();
        return Convert.ToInt32(new NpgsqlCommand(sql, connection).ExecuteScalar());
    }
}
