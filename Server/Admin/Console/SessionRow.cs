namespace IdentityServer.Admin.Console;

/// <summary>A session as the console lists it: never its id, only the short handle pages use to name it.</summary>
internal sealed record SessionRow(
    string Handle,
    string UserId,
    string? UserName,
    DateTimeOffset CreatedAt,
    DateTimeOffset AuthenticatedAt,
    DateTimeOffset LastSeenAt,
    string? AuthenticationMethod,
    string? IpAddress,
    string? UserAgent);
