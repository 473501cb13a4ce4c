using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace IdentityServer.RateLimiting;

/// <summary>
/// Budgets of failed sign-ins per account and per address, for every form that checks a credential
/// (password, 2FA code, recovery code, provider link, reset link). Only failures count: a developer's
/// test suite may sign the same user in as often as it likes. The account is the one the name resolved
/// to, whatever field, alias or spelling carried it; a name with no account is counted by its normalized
/// form, and is refused exactly like a real account, so a 429 tells nothing about who exists.
/// </summary>
internal sealed class SignInThrottle
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly FailureBudget? accounts;
    private readonly FailureBudget? addresses;

    public SignInThrottle(IOptions<RateLimitOptions> options, TimeProvider time)
    {
        var limits = options.Value;
        if (limits.Enabled)
        {
            accounts = new(time, limits.FailedSignInsPerMinutePerAccount, Window, limits.LongestBlock);
            addresses = new(time, limits.FailedSignInsPerMinutePerAddress, Window, limits.LongestBlock);
        }
    }

    /// <summary>The key of an account: its id when the name resolved to one, else the normalized name.</summary>
    public static string AccountKey(string? userId, string? normalizedName) =>
        userId is not null ? "user:" + userId : "name:" + (normalizedName ?? "");

    /// <summary>
    /// Call before checking the credential. False when the account or the address has no failures left:
    /// return <paramref name="refusal"/> (429 with Retry-After) and check nothing. True reserves one failure:
    /// follow with <see cref="Succeeded"/> or <see cref="Failed"/>; an attempt settled by neither counts as
    /// failed until the minute is over.
    /// </summary>
    public bool TryBegin(HttpContext context, string accountKey, [NotNullWhen(false)] out IActionResult? refusal)
    {
        refusal = null;
        if (accounts is null || addresses is null)
        {
            return true;
        }

        var address = ClientAddress.Key(context);
        if (!addresses.TryReserve(address, out var wait))
        {
            refusal = TooManyAttempts(context, wait);
            return false;
        }

        if (!accounts.TryReserve(accountKey, out wait))
        {
            addresses.Release(address);
            refusal = TooManyAttempts(context, wait);
            return false;
        }

        return true;
    }

    /// <summary>The credential was right (even if a second step still follows): nothing is counted.</summary>
    public void Succeeded(HttpContext context, string accountKey)
    {
        addresses?.Release(ClientAddress.Key(context));
        accounts?.Release(accountKey);
    }

    /// <summary>The credential was wrong, or the account may not sign in: one failure for the account and the address.</summary>
    public void Failed(HttpContext context, string accountKey)
    {
        addresses?.Fail(ClientAddress.Key(context));
        accounts?.Fail(accountKey);
    }

    /// <summary>429 with Retry-After, never cached: the answer of every failure budget a page keeps.</summary>
    internal static ContentResult TooManyAttempts(HttpContext context, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.RetryAfter = seconds;
        context.Response.Headers.CacheControl = "no-store";
        return new ContentResult
        {
            StatusCode = StatusCodes.Status429TooManyRequests,
            ContentType = "text/plain; charset=utf-8",
            Content = $"Too many attempts. Please wait {seconds} seconds and try again.",
        };
    }
}
