using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DistillLab.Web.Runs.RunHistory;

/// <summary>What a run history error means, whichever database raised it.</summary>
public static class HistoryErrors
{
    /// <summary>The database will take the write again soon: SQLite busy or locked by another connection (codes 5, 6);
    /// PostgreSQL unreachable, restarting or shutting down, a connection it broke, or a conflict worth retrying.</summary>
    public static bool IsTransient(Exception e) => Unwrap(e) switch
    {
        SqliteException { SqliteErrorCode: 5 or 6 } => true,
        PostgresException p => p.IsTransient || p.SqlState.StartsWith("08", StringComparison.Ordinal)
                               || p.SqlState is "57P01" or "57P02" or "57P03", // admin or crash shutdown, starting up
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or SocketException or TimeoutException,
        TimeoutException => true,
        _ => false,
    };

    /// <summary>The database refuses writes and will go on refusing them (read-only or full folder, a missing table,
    /// no permission): said to the person instead of retried unseen.</summary>
    public static bool IsRefusal(Exception e) => !IsTransient(e) && Unwrap(e) is DbException or IOException or UnauthorizedAccessException;

    /// <summary>The database's own error inside EF's wrappers: DbUpdateException from SaveChanges, and the
    /// InvalidOperationException Npgsql's default execution strategy puts around a transient failure.</summary>
    public static Exception Unwrap(Exception e) => e switch
    {
        DbUpdateException { InnerException: DbException inner } => inner,
        InvalidOperationException { InnerException: DbException or TimeoutException } wrapped => Unwrap(wrapped.InnerException!),
        _ => e,
    };
}
