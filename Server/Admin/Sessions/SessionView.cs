namespace IdentityServer.Admin.Sessions;

/// <summary>
/// A signed-in browser of a person's. <see cref="Handle"/> is the first characters of the stored hash (the same
/// handle the person's own sessions page uses), enough to end it and useless as a cookie.
/// </summary>
internal sealed record SessionView(
    string Handle,
    string? Sid,
    DateTimeOffset CreatedAt,
    DateTimeOffset AuthenticatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset AbsoluteExpiresAt,
    string? IpAddress,
    string? UserAgent,
    string? AuthenticationMethod);
