using System.Globalization;
using System.Threading.RateLimiting;
using IdentityServer.Configuration;
using Microsoft.AspNetCore.RateLimiting;

namespace IdentityServer.RateLimiting;

/// <summary>
/// ASP.NET Core's rate limiter, chained: account forms per client address, sign-ins per account name, and
/// token requests per client id. Counters live in each instance's memory.
/// </summary>
internal static class RateLimitSetup
{
    private static readonly string[] AccountForms =
        ["/Account/Login", "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Account/Register", "/Account/ForgotPassword", "/Account/ResetPassword", "/Account/ExternalLink"];

    public static IServiceCollection AddRateLimits(this IServiceCollection services, RateLimitOptions limits)
    {
        if (!limits.Enabled)
        {
            return services;
        }

        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsAccountPost(context)
                    ? PerMinute("address:" + Address(context), limits.AccountPostsPerMinutePerAddress)
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsAccountPost(context) && AccountName(context) is { } name
                    ? PerMinute("account:" + name, limits.SignInsPerMinutePerAccount)
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => IsTokenRequest(context)
                    ? RateLimitPartition.GetFixedWindowLimiter("client:" + TokenClientId(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limits.TokenRequestsPerSecondPerClient,
                        Window = TimeSpan.FromSeconds(1),
                    })
                    : RateLimitPartition.GetNoLimiter("")));
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    public static WebApplication UseRateLimits(this WebApplication app)
    {
        if (app.Services.GetService<Microsoft.Extensions.Options.IOptions<RateLimiterOptions>>()?.Value.GlobalLimiter is null)
        {
            return app;
        }

        // The partitioners read form fields synchronously: load the form first, asynchronously.
        app.Use(async (context, next) =>
        {
            if ((IsAccountPost(context) || IsTokenRequest(context)) && context.Request.HasFormContentType)
            {
                try
                {
                    await context.Request.ReadFormAsync(context.RequestAborted);
                }
                catch (InvalidDataException)
                {
                    // A malformed or oversized form is rejected further on; it is simply not counted by name.
                }
            }

            await next(context);
        });
        app.UseRateLimiter();
        return app;
    }

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1) });

    private static bool IsAccountPost(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && AccountForms.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase));

    private static bool IsTokenRequest(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/connect/token", StringComparison.OrdinalIgnoreCase);

    /// <summary>The form if it was read successfully above; never triggers a read.</summary>
    private static IFormCollection? LoadedForm(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form;

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "local";

    private static string? AccountName(HttpContext context) =>
        LoadedForm(context) is { } form && form.TryGetValue("Login", out var login) && login.Count == 1 && login[0] is { Length: > 0 and <= 256 } name
            ? name.ToUpperInvariant()
            : null;

    private static string TokenClientId(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    return Uri.UnescapeDataString(decoded[..colon]);
                }
            }
            catch (FormatException)
            {
                // A malformed header is OpenIddict's to reject; count it under the address.
            }
        }

        return LoadedForm(context) is { } form && form.TryGetValue("client_id", out var id) && id.Count == 1
            ? id[0] ?? Address(context)
            : Address(context);
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var response = context.HttpContext.Response;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 60;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        if (IsTokenRequest(context.HttpContext))
        {
            await response.WriteAsJsonAsync(new Dictionary<string, string>
            {
                ["error"] = "too_many_requests",
                ["error_description"] = $"Too many token requests from this client. Retry after {seconds} seconds.",
            }, cancellationToken);
            return;
        }

        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync($"Too many attempts. Please wait {seconds} seconds and try again.", cancellationToken);
    }
}
