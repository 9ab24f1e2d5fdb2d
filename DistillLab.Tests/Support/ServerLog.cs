using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace DistillLab.Tests.Support;

/// <summary>Keeps every log entry the dashboard writes (at the host's level, Warning and up), so a test can fail on
/// an error that no page or API answer shows, such as a Blazor circuit ended by an exception.</summary>
public sealed class ServerLog : ILoggerProvider
{
    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : $" ({Exception.GetType().Name}: {Exception.Message})")}";
    }

    private readonly ConcurrentQueue<Entry> entries = new();

    public IReadOnlyList<Entry> Entries => entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(ServerLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
    }
}
