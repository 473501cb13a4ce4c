namespace IdentityServer.Data;

/// <summary>
/// A signed-in browser. The cookie holds only <see cref="Id"/>; deleting the row signs that browser out.
/// </summary>
internal sealed class UserSession
{
    /// <summary>SHA-256 of the id in the cookie (<c>SessionIds.Hash</c>), never the id itself.</summary>
    public string Id { get; set; } = "";

    public string UserId { get; set; } = "";

    /// <summary>
    /// The public session id given to apps (the <c>sid</c> claim of identity and logout tokens): random, unrelated to
    /// the cookie, and kept when the session is re-issued after a credential change. Null for rows older than it.
    /// </summary>
    public string? Sid { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// The last interactive authentication (password, second factor, external provider). Cookie renewals
    /// never move it; <c>max_age</c>, <c>prompt=login</c>, <c>auth_time</c> and re-authentication use it.
    /// </summary>
    public DateTimeOffset AuthenticatedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>Idle deadline, pushed forward as the session is used.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Hard deadline, never extended.</summary>
    public DateTimeOffset AbsoluteExpiresAt { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>How the person authenticated: pwd, pwd+otp, external:provider…</summary>
    public string? AuthenticationMethod { get; set; }

    /// <summary>The serialized authentication ticket (claims), protected with Data Protection.</summary>
    public byte[] Ticket { get; set; } = [];
}
