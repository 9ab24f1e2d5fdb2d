using System.Net.Sockets;
using Npgsql;
using Polly;
using Polly.Retry;

namespace DistillLab.Web.Runs.RunHistory;

/// <summary>How a try at the database is repeated: the first pause, the longest, and how many tries in all (null:
/// until it works or the caller cancels).</summary>
public sealed record RetryLimits(TimeSpan FirstWait, TimeSpan MaxWait, int? Tries);

/// <summary>A try failed and the next one waits: what failed, for how long, and which try it was (1 for the first).</summary>
public readonly record struct RetryNotice(Exception Error, TimeSpan Wait, int Try)
{
    /// <summary>The wait in seconds to one decimal, for the log lines that say it.</summary>
    public double Seconds => Math.Round(Wait.TotalSeconds, 1);
}

/// <summary>The one place that says what "PostgreSQL is away" means and how DistillLab waits for it: every retry of the
/// postgres engine (start-up, a worker's wait, LISTEN/NOTIFY, a study part, a unit of work on a broken connection) is a
/// Polly retry pipeline built here; a caller says only which limits apply and what to log before each wait.</summary>
/// <remarks>Cancellation is never a failure to retry: a cancelled token ends the wait at once with
/// OperationCanceledException. Pauses grow exponentially with Polly's decorrelated jitter (median 1, 2, 4 … s), so
/// workers that lost the same server do not all come back in the same second.</remarks>
public static class DatabaseRetry
{
    /// <summary>Waiting for the server to answer (start-up, a worker's wait, the LISTEN connection): 1 s growing to 30 s, no limit.</summary>
    public static readonly RetryLimits UntilReachable = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), null);

    /// <summary>A study part whose database work failed: 8 tries 1-30 s apart, about a minute of PostgreSQL away (45-80 s with the jitter).</summary>
    public static readonly RetryLimits StudyPart = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 8);

    /// <summary>One more try after <paramref name="wait"/>, on a fresh connection: a restart breaks every idle pooled one.</summary>
    public static RetryLimits OnceMore(TimeSpan wait) => new(wait, wait, 2);

    /// <summary>PostgreSQL is away: unreachable, restarting or shutting down (57P01-57P03), a connection it broke, a
    /// timeout (HistoryErrors.IsTransient, which also covers SQLite's busy), or a transient Npgsql error one wrapper deep.
    /// A refusal (password, permission, a constraint) is not: trying again would fail the same way.</summary>
    public static bool IsAway(Exception e) => HistoryErrors.IsTransient(e) || e.InnerException is NpgsqlException { IsTransient: true };

    /// <summary>A connection of our own (LISTEN, NOTIFY, a worker's first connect) could not be opened or broke: any
    /// Npgsql, socket or I/O failure on it, and what IsAway counts. There is no unit of work to refuse here, so a server
    /// that answers with an error is waited for too, and said in the log each try.</summary>
    public static bool IsConnectionLost(Exception e) =>
        IsAway(e) || e is NpgsqlException or InvalidOperationException or SocketException or IOException;

    /// <summary>A pipeline that retries what <paramref name="transient"/> accepts within <paramref name="limits"/>,
    /// calling <paramref name="onRetry"/> before each wait; anything else, or the last failure, surfaces as thrown.</summary>
    public static ResiliencePipeline Pipeline(RetryLimits limits, Func<Exception, bool> transient, Action<RetryNotice> onRetry) =>
        Pipeline(limits, transient, onRetry, TimeProvider.System, randomizer: null);

    /// <summary>The same on a given clock and jitter source (tests).</summary>
    internal static ResiliencePipeline Pipeline(RetryLimits limits, Func<Exception, bool> transient, Action<RetryNotice> onRetry,
        TimeProvider time, Func<double>? randomizer)
    {
        bool growing = limits.MaxWait > limits.FirstWait;
        var options = new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e and not OperationCanceledException && transient(e)),
            BackoffType = growing ? DelayBackoffType.Exponential : DelayBackoffType.Constant,
            UseJitter = growing,
            Delay = limits.FirstWait,
            MaxDelay = growing ? limits.MaxWait : null,
            MaxRetryAttempts = limits.Tries is { } tries ? tries - 1 : int.MaxValue,
            OnRetry = args =>
            {
                onRetry(new RetryNotice(args.Outcome.Exception!, args.RetryDelay, args.AttemptNumber + 1));
                return ValueTask.CompletedTask;
            },
        };
        if (randomizer is not null) options.Randomizer = randomizer;
        return new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(options).Build();
    }
}
