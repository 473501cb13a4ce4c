namespace IdentityServer.Configuration;

/// <summary>
/// Request rates per client address, and budgets of failed attempts per account, client and address. A spent
/// failure budget blocks for a minute, then twice as long each time it is spent again, up to
/// <see cref="LongestBlock"/>. Counters live in each instance's memory.
/// </summary>
internal sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Posts to the sign-in forms (password, 2FA, recovery code, link a provider) per minute from one address, whatever their outcome.</summary>
    public int SignInsPerMinutePerAddress { get; set; } = 300;

    /// <summary>Registration and password-reset posts per minute from one address.</summary>
    public int AccountPostsPerMinutePerAddress { get; set; } = 30;

    /// <summary>Failed sign-ins (wrong password or code, locked or unconfirmed account, bad reset link) per minute for one account, from any address.</summary>
    public int FailedSignInsPerMinutePerAccount { get; set; } = 10;

    /// <summary>Failed sign-ins per minute from one address, whatever the account.</summary>
    public int FailedSignInsPerMinutePerAddress { get; set; } = 30;

    /// <summary>Wrong client secrets per minute for one client, from any address.</summary>
    public int FailedClientAuthenticationsPerMinutePerClient { get; set; } = 30;

    /// <summary>Wrong client secrets per minute from one address, whatever the client.</summary>
    public int FailedClientAuthenticationsPerMinutePerAddress { get; set; } = 10;

    /// <summary>Token, introspection and revocation requests per second from one authenticated client.</summary>
    public int TokenRequestsPerSecondPerClient { get; set; } = 2000;

    /// <summary>The longest a spent failure budget blocks; a quiet spell this long forgives earlier blocks.</summary>
    public TimeSpan LongestBlock { get; set; } = TimeSpan.FromMinutes(15);
}
