using Npgsql;

namespace DistillLab.Web.Runs.RunHistory;

/// <summary>One process at a time changes the schema of a PostgreSQL database: a session-level advisory lock taken
/// around EF Core's migrations and Hangfire's tables, so that dashboards and workers started together on an empty
/// database do not each create the same tables (42P07 "relation already exists").</summary>
/// <remarks>The lock lives as long as its session: closing the connection, or the process dying, releases it, so a
/// killed process never leaves the next start waiting.</remarks>
public static class SchemaLock
{
    // Any fixed number, the same in every process and every version ("DLSC").
    private const long Key = 0x444C_5343;

    /// <summary>Runs <paramref name="work"/> while holding the lock; waits for another process's schema work first.
    /// The work gets the locking connection (open) for statements of its own.</summary>
    public static void Hold(string connectionString, Action<NpgsqlConnection> work)
    {
        // Unpooled: a pooled connection's session would outlive this call, and the lock with it.
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        using var connection = new NpgsqlConnection(unpooled.ToString());
        connection.Open();
        using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            take.Parameters.AddWithValue("key", Key);
            take.CommandTimeout = 300; // another process's migrations, on a slow machine
            take.ExecuteNonQuery();
        }
        work(connection);
    }
}
