using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace IdentityServer.RateLimiting;

/// <summary>
/// Wrong device user codes typed at /device, counted across every address together. The per-address limit
/// (<see cref="RateLimitOptions.UserCodeAttemptsPerMinutePerAddress"/>) stops one guesser; this stops many
/// guessers sharing the work, which would otherwise scale with the number of addresses they hold. Only wrong
/// codes count, so people typing their own codes never spend it; a spent budget refuses every code check for a
/// minute (longer if it is spent again), which costs a device sign-in a short wait, not an account.
/// </summary>
internal sealed class UserCodeThrottle
{
    private const string Key = "user-codes";

    private readonly FailureBudget? wrongCodes;

    public UserCodeThrottle(IOptions<RateLimitOptions> options, TimeProvider time)
    {
        var limits = options.Value;
        if (limits.Enabled)
        {
            wrongCodes = new(time, limits.FailedUserCodesPerMinute, TimeSpan.FromMinutes(1), limits.LongestBlock);
        }
    }

    /// <summary>Call before checking a code; false (with a 429 to return) when the budget is spent. Follow with <see cref="Settle"/>.</summary>
    public bool TryBegin(HttpContext context, [NotNullWhen(false)] out IActionResult? refusal)
    {
        refusal = null;
        if (wrongCodes is null || wrongCodes.TryReserve(Key, out var wait))
        {
            return true;
        }

        refusal = SignInThrottle.TooManyAttempts(context, wait);
        return false;
    }

    public void Settle(bool valid)
    {
        if (valid)
        {
            wrongCodes?.Release(Key);
        }
        else
        {
            wrongCodes?.Fail(Key);
        }
    }
}
