using System.Globalization;
using OpenIddict.Server;

namespace IdentityServer.RateLimiting;

/// <summary>How a protocol request over a limit is refused: OpenIddict writes the JSON error, <see cref="TooManyRequestsResponse{TContext}"/> the status and Retry-After.</summary>
internal static class TooManyRequests
{
    public const string Error = "too_many_requests";

    private const string Property = ".idsrv.retry_after";

    public static void Reject(OpenIddictServerEvents.BaseValidatingContext context, TimeSpan wait, string reason)
    {
        var seconds = Seconds(wait);
        context.Transaction.Properties[Property] = seconds;
        context.Reject(Error, $"{reason} Retry after {seconds} seconds.");
    }

    public static int? RetryAfter(OpenIddictServerTransaction transaction) =>
        transaction.Properties.TryGetValue(Property, out var value) ? value as int? : null;

    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    public static string Header(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);
}
