using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.RateLimiting;

/// <summary>
/// Three layers. ASP.NET Core's rate limiter counts account form posts, client registrations and admin API requests per client address, whatever their
/// outcome (generously for the sign-in forms). <see cref="SignInThrottle"/> counts failed sign-ins per
/// account and address, called by the pages once they know the outcome. At the token, introspection and
/// revocation endpoints, OpenIddict handlers count wrong client secrets per client and address
/// (<see cref="ClientSecretThrottle"/>) and requests per authenticated client (<see cref="ClientRequestRate"/>).
/// Counters live in each instance's memory.
/// </summary>
internal static class RateLimitSetup
{
    private static readonly string[] SignInForms =
        ["/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/ExternalLink", "/Account/Passkey"];

    /// <summary>The admin API: every request counts (reads too), per address, before its token is even looked at.</summary>
    private const string AdminApi = "/admin/api";

    private static readonly string[] OtherAccountForms = ["/Account/Register", "/Account/ForgotPassword", "/Account/ResetPassword"];

    public static IServiceCollection AddRateLimits(this IServiceCollection services, RateLimitOptions limits)
    {
        // The pages call it whether or not limits are on; turned off, it admits everything.
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<UserCodeThrottle>();
        if (!limits.Enabled)
        {
            return services;
        }

        services.AddSingleton<ClientFailureBudgets>();
        services.AddOpenIddict().AddServer(server =>
        {
            server.AddEventHandler(ClientSecretThrottle.Descriptor);
            server.AddEventHandler(ClientRequestRate.Descriptor);
            server.AddEventHandler(TooManyRequestsResponse<ApplyTokenResponseContext>.Descriptor);
            server.AddEventHandler(TooManyRequestsResponse<ApplyIntrospectionResponseContext>.Descriptor);
            server.AddEventHandler(TooManyRequestsResponse<ApplyRevocationResponseContext>.Descriptor);
        });

        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsUserCodeAttempt(context) ? PerMinute("user-code|" + ClientAddress.Key(context), limits.UserCodeAttemptsPerMinutePerAddress)
                : context.Request.Path.StartsWithSegments(AdminApi, StringComparison.OrdinalIgnoreCase)
                    ? PerMinute("admin|" + ClientAddress.Key(context), limits.AdminRequestsPerMinutePerAddress)
                : !HttpMethods.IsPost(context.Request.Method) ? RateLimitPartition.GetNoLimiter("")
                : IsOneOf(context, SignInForms) ? PerMinute("sign-in|" + ClientAddress.Key(context), limits.SignInsPerMinutePerAddress)
                : IsOneOf(context, OtherAccountForms) ? PerMinute("account|" + ClientAddress.Key(context), limits.AccountPostsPerMinutePerAddress)
                : IsPath(context, "/connect/register") ? PerHour("register|" + ClientAddress.Key(context), limits.RegistrationsPerHourPerAddress)
                : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    public static WebApplication UseRateLimits(this WebApplication app)
    {
        if (app.Services.GetService<IOptions<RateLimiterOptions>>()?.Value.GlobalLimiter is not null)
        {
            app.UseMiddleware<EarlyClientRefusal>();
            app.UseRateLimiter();
        }

        return app;
    }

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1) });

    private static RateLimitPartition<string> PerHour(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromHours(1) });

    /// <summary>A user code typed (GET, as verification_uri_complete sends it) or answered (POST) on the device page.</summary>
    private static bool IsUserCodeAttempt(HttpContext context) =>
        IsPath(context, "/device")
        && (context.Request.Query.ContainsKey("user_code") || HttpMethods.IsPost(context.Request.Method));

    private static bool IsOneOf(HttpContext context, string[] paths) => paths.Any(p => IsPath(context, p));

    /// <summary>
    /// The path as routing matches it: case-insensitive, and with or without one trailing slash (routing serves
    /// <c>/device/</c> as <c>/device</c>; compared exactly, the slash walked around every limit).
    /// </summary>
    private static bool IsPath(HttpContext context, string path)
    {
        var value = context.Request.Path.Value ?? "";
        return value.Equals(path, StringComparison.OrdinalIgnoreCase)
            || (value.Length == path.Length + 1 && value.EndsWith('/') && value.StartsWith(path, StringComparison.OrdinalIgnoreCase));
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var response = context.HttpContext.Response;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 60;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        if (context.HttpContext.Request.Path.StartsWithSegments(AdminApi, StringComparison.OrdinalIgnoreCase))
        {
            // The admin API answers every error as RFC 9457 problem details.
            await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests",
                detail: $"Too many admin API requests from this address. Retry after {seconds} seconds.").ExecuteAsync(context.HttpContext);
            return;
        }

        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync($"Too many attempts. Please wait {seconds} seconds and try again.", cancellationToken);
    }
}
