using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.RateLimiting;

/// <summary>
/// Request rates per client address, and budgets of failed attempts per account, client and address
/// (<c>IdentityServer:RateLimits</c>). A spent failure budget blocks for a minute, then twice as long each
/// time it is spent again, up to <see cref="LongestBlock"/>. Counters live in each instance's memory. Every
/// count is at least 1: <see cref="Enabled"/> = false is how the limits are turned off.
/// </summary>
internal sealed class RateLimitOptions
{
    public const string Section = "IdentityServer:RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>Posts to the sign-in forms (password, 2FA, recovery code, link a provider) per minute from one address, whatever their outcome.</summary>
    [Range(1, int.MaxValue)]
    public int SignInsPerMinutePerAddress { get; set; } = 300;

    /// <summary>Registration and password-reset posts per minute from one address.</summary>
    [Range(1, int.MaxValue)]
    public int AccountPostsPerMinutePerAddress { get; set; } = 30;

    /// <summary>Dynamic client registrations (POST /connect/register) per hour from one address, whatever their outcome.</summary>
    [Range(1, int.MaxValue)]
    public int RegistrationsPerHourPerAddress { get; set; } = 20;

    /// <summary>Failed sign-ins (wrong password or code, locked or unconfirmed account, bad reset link) per minute for one account, from any address.</summary>
    [Range(1, int.MaxValue)]
    public int FailedSignInsPerMinutePerAccount { get; set; } = 10;

    /// <summary>Failed sign-ins per minute from one address, whatever the account.</summary>
    [Range(1, int.MaxValue)]
    public int FailedSignInsPerMinutePerAddress { get; set; } = 30;

    /// <summary>Wrong client secrets per minute for one client, from any address.</summary>
    [Range(1, int.MaxValue)]
    public int FailedClientAuthenticationsPerMinutePerClient { get; set; } = 30;

    /// <summary>Wrong client secrets per minute from one address, whatever the client.</summary>
    [Range(1, int.MaxValue)]
    public int FailedClientAuthenticationsPerMinutePerAddress { get; set; } = 10;

    /// <summary>User codes tried on the device verification page (/device) per minute from one address: a code is short, so guessing is capped.</summary>
    [Range(1, int.MaxValue)]
    public int UserCodeAttemptsPerMinutePerAddress { get; set; } = 20;

    /// <summary>Wrong user codes per minute from all addresses together: guessers sharing the work across many addresses get no further.</summary>
    [Range(1, int.MaxValue)]
    public int FailedUserCodesPerMinute { get; set; } = 600;

    /// <summary>Token, introspection and revocation requests per second from one authenticated client.</summary>
    [Range(1, int.MaxValue)]
    public int TokenRequestsPerSecondPerClient { get; set; } = 2000;

    /// <summary>Admin API requests (<c>/admin/api</c>, reads and writes) per minute from one address.</summary>
    [Range(1, int.MaxValue)]
    public int AdminRequestsPerMinutePerAddress { get; set; } = 600;

    /// <summary>The longest a spent failure budget blocks; a quiet spell this long forgives earlier blocks.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LongestBlock { get; set; } = TimeSpan.FromMinutes(15);
}

[OptionsValidator]
internal sealed partial class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>;
