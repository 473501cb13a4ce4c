using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace IdentityServer.Tests.Fuzz;

/// <summary>
/// A logger provider that keeps what the server logs at Error or Critical with an exception (an unhandled
/// or swallowed failure), so the fuzzer can pin it on the request it was sending.
/// </summary>
internal sealed class CapturedErrors : ILoggerProvider
{
    private readonly ConcurrentQueue<string> errors = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, errors);

    /// <summary>Everything captured since the last call.</summary>
    public List<string> Drain()
    {
        var drained = new List<string>();
        while (errors.TryDequeue(out var error))
        {
            drained.Add(error);
        }

        return drained;
    }

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> errors) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error && exception is not null)
            {
                errors.Enqueue($"{logLevel} {category}: {formatter(state, exception)}\n{exception}");
            }
        }
    }
}
