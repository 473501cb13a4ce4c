namespace IdentityServer.Data;

/// <summary>
/// A WebAuthn challenge that has been answered. Identity keeps a pending challenge in a protected cookie, which a
/// client can send again; the row makes an answer count once, on every instance. Kept until the challenge could
/// no longer be answered anyway, then pruned.
/// </summary>
internal sealed class UsedPasskeyChallenge
{
    /// <summary>SHA-256 of the challenge, hex.</summary>
    public string Id { get; set; } = "";

    /// <summary>UTC ticks.</summary>
    public long ExpiresAt { get; set; }
}
