using DistillLab.Web.Runs;
using Npgsql;

namespace DistillLab.Web.Jobs;

/// <summary>A study teacher is trained once for the whole cluster: the worker that trains (or loads) the teacher of a
/// key holds a PostgreSQL advisory lock on that key, and a worker that wants the same teacher meanwhile (a second study
/// of the same base settings, or the same job handed out twice) waits, then finds it kept and loads it.</summary>
/// <remarks>A session lock on a connection of its own: a worker killed while training lets go of it with its
/// connection, and the next one trains the teacher again.</remarks>
public static class TeacherClaim
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    /// <summary>Waits until this process holds the teacher's lock (cancellable); disposing the handle lets go.</summary>
    public static IDisposable Take(string connectionString, string teacherKey, Action waiting, CancellationToken cancellationToken)
    {
        var unpooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        var connection = new NpgsqlConnection(unpooled.ToString());
        try
        {
            connection.Open();
            bool told = false;
            while (true)
            {
                using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
                take.Parameters.AddWithValue("key", StudyStore.LockKey("teacher|" + teacherKey));
                if ((bool)take.ExecuteScalar()!) return connection;
                if (!told) waiting();
                told = true;
                cancellationToken.WaitHandle.WaitOne(Poll);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
