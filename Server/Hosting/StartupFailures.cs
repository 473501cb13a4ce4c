using Microsoft.Extensions.Options;

namespace IdentityServer.Hosting;

/// <summary>
/// When start-up stops for a reason the operator fixes (a bad setting, a database that cannot be used), the
/// process prints what to fix, one line per reason, and exits with 1 — instead of the runtime's "Unhandled
/// exception" and a stack trace. Any other exception still ends the process the usual way.
/// </summary>
internal static class StartupFailures
{
    private static int installed;

    public static void ReportInOneLine()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (Describe(e.ExceptionObject as Exception) is { } message)
            {
                Console.Error.WriteLine(message);
                Console.Error.Flush();
                Environment.Exit(1);
            }
        };
    }

    /// <summary>What to tell the operator, or null for an exception that is a bug rather than a setting.</summary>
    public static string? Describe(Exception? exception) => exception switch
    {
        StartupFailureException failure => failure.Message,
        OptionsValidationException invalid => string.Join(Environment.NewLine, invalid.Failures),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerException),
        null => null,
        _ => DatabaseFailure.Describe(exception),
    };
}
