using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TiesOffice.Testing;

/// <summary>Captures every log line (message, structured values and exception text) so tests can scan them.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>Every captured line.</summary>
    public IReadOnlyList<string> Lines => _lines.ToList();

    /// <summary>A logger factory writing only to this capture.</summary>
    public ILoggerFactory CreateFactory() => LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Capture(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Capture(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> kv ? string.Join(";", kv.Select(p => p.Key + "=" + p.Value)) : string.Empty;
            owner._lines.Enqueue($"{logLevel} {category} {formatter(state, exception)} [{values}] {exception}");
        }
    }
}
