using System.Net.Sockets;
using DistillLab.Web.Runs.RunHistory;
using Npgsql;

namespace DistillLab.Tests.Web.Runs.RunHistory;

/// <summary>DatabaseRetry, the one Polly retry behind every wait for PostgreSQL: what it retries, how its waits grow, where
/// it stops. Waits are recorded by a clock that lets them pass at once (or never), so nothing here sleeps.</summary>
public sealed class DatabaseRetryTests
{
    private static readonly RetryLimits Limits = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), Tries: 6);

    [Fact]
    public void PostgresAwayIsTriedAgainWithGrowingWaitsUpToTheLimitThenSurfaces()
    {
        var clock = new RecordingClock(waits: true);
        var notices = new List<RetryNotice>();
        var pipeline = DatabaseRetry.Pipeline(Limits, DatabaseRetry.IsAway, notices.Add, clock, randomizer: () => 0.5);
        int tries = 0;

        var surfaced = Assert.Throws<PostgresException>(() => pipeline.Execute(() =>
        {
            tries++;
            throw new PostgresException($"terminating connection due to administrator command ({tries})", "FATAL", "FATAL", "57P01");
        }));

        Assert.Equal(6, tries);
        Assert.Contains("(6)", surfaced.Message); // the last failure, not the first
        Assert.Equal([1, 2, 3, 4, 5], notices.Select(n => n.Try));
        var waits = notices.Select(n => n.Wait).ToList();
        // Each wait said is the wait taken (a timer counts whole milliseconds).
        Assert.Equal(waits.Select(w => (long)w.TotalMilliseconds), clock.Waits.Select(w => (long)w.TotalMilliseconds));
        for (int i = 1; i < waits.Count; i++) Assert.True(waits[i] > waits[i - 1], $"wait {i + 1} ({waits[i]}) after {waits[i - 1]}");
        Assert.InRange(waits[0], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5)); // about the first wait
        Assert.Equal(Limits.MaxWait, waits[^1]);
    }

    [Fact]
    public void AnErrorThatIsNotPostgresAwayIsNotTriedAgain()
    {
        var notices = new List<RetryNotice>();
        var pipeline = DatabaseRetry.Pipeline(Limits, DatabaseRetry.IsAway, notices.Add, new RecordingClock(waits: true), randomizer: null);
        int tries = 0;

        Assert.Throws<PostgresException>(() => pipeline.Execute(() =>
        {
            tries++;
            throw new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505");
        }));

        Assert.Equal(1, tries);
        Assert.Empty(notices);
    }

    [Fact]
    public void AWorkThatSucceedsAfterAnOutageReturnsItsValue()
    {
        var pipeline = DatabaseRetry.Pipeline(Limits, DatabaseRetry.IsAway, _ => { }, new RecordingClock(waits: true), randomizer: null);
        int tries = 0;

        int value = pipeline.Execute(() => ++tries < 3 ? throw new TimeoutException("no answer") : 42);

        Assert.Equal((42, 3), (value, tries));
    }

    [Fact]
    public async Task CancellingStopsTheWaitAtOnceAndIsNotRetried()
    {
        var unlimited = new RetryLimits(TimeSpan.FromHours(1), TimeSpan.FromHours(2), Tries: null);
        using var stop = new CancellationTokenSource();
        int tries = 0;
        // The clock never lets a wait pass: only the cancellation can end it.
        var pipeline = DatabaseRetry.Pipeline(unlimited, DatabaseRetry.IsConnectionLost, _ => stop.CancelAfter(TimeSpan.FromMilliseconds(20)),
            new RecordingClock(waits: false), randomizer: null);

        var waiting = pipeline.ExecuteAsync(_ =>
        {
            tries++;
            throw new NpgsqlException("Failed to connect to 127.0.0.1:5", new SocketException((int)SocketError.ConnectionRefused));
        }, stop.Token).AsTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, tries);
    }

    [Theory]
    [InlineData("57P01", true)] // admin shutdown
    [InlineData("57P03", true)] // starting up
    [InlineData("08006", true)] // connection failure
    [InlineData("28P01", false)] // wrong password
    [InlineData("42501", false)] // no permission
    public void PostgresAwayIsTheServerGoneNotItsRefusal(string sqlState, bool away)
    {
        var error = new PostgresException("server says", "FATAL", "FATAL", sqlState);
        Assert.Equal(away, DatabaseRetry.IsAway(error));
    }

    [Fact]
    public void AnOwnConnectionThatBrokeIsLostButAnArgumentErrorOrACancelIsNot()
    {
        Assert.True(DatabaseRetry.IsConnectionLost(new IOException("Unable to read data from the transport connection")));
        Assert.True(DatabaseRetry.IsConnectionLost(new InvalidOperationException("Connection is not open")));
        Assert.False(DatabaseRetry.IsAway(new InvalidOperationException("Connection is not open")));
        Assert.False(DatabaseRetry.IsConnectionLost(new ArgumentException("Keyword not supported: 'hots'")));
        Assert.False(DatabaseRetry.IsConnectionLost(new OperationCanceledException()));
    }

    /// <summary>Notes every wait a timer is asked for; lets it pass at once, or never.</summary>
    private sealed class RecordingClock(bool waits) : TimeProvider
    {
        public List<TimeSpan> Waits { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (Waits) Waits.Add(dueTime);
            return base.CreateTimer(callback, state, waits ? TimeSpan.Zero : Timeout.InfiniteTimeSpan, period);
        }
    }
}
