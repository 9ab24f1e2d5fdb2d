namespace DistillLab.Core.Download;

/// <summary>How a download retries transient failures: exponential backoff, a bounded number of tries, a stall timeout.</summary>
/// <param name="MaxAttempts">Tries in a row that make no progress before giving up (the first try counts).
/// A try that received new bytes resets the count, so a long download survives many unrelated drops.</param>
/// <param name="InitialDelay">Wait before the first retry; doubled for each further retry.</param>
/// <param name="MaxDelay">Upper bound of one wait.</param>
/// <param name="StallTimeout">A read that brings no byte for this long counts as a transient failure.</param>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan InitialDelay, TimeSpan MaxDelay, TimeSpan StallTimeout)
{
    public static RetryPolicy Default { get; } =
        new(MaxAttempts: 6, InitialDelay: TimeSpan.FromSeconds(1), MaxDelay: TimeSpan.FromSeconds(30), StallTimeout: TimeSpan.FromSeconds(60));

    /// <summary>The wait before retry number <paramref name="retry"/> (1 = first retry): InitialDelay * 2^(retry-1), at most MaxDelay.</summary>
    public TimeSpan DelayBefore(int retry)
    {
        if (retry < 1) return TimeSpan.Zero;
        double ms = InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(ms, MaxDelay.TotalMilliseconds));
    }
}
