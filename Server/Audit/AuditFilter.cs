namespace IdentityServer.Audit;

/// <summary>
/// What to look for in the audit trail. <see cref="Type"/> is a type or any leading part of one (<c>signin</c> finds
/// every <c>signin.*</c>, <c>admin.user</c> every <c>admin.user.*</c>); <see cref="Text"/> matches user names, client ids,
/// actors and reasons.
/// </summary>
internal sealed record AuditFilter
{
    public string? UserId { get; init; }

    public string? ClientId { get; init; }

    public string? Type { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public string? Text { get; init; }

    public IReadOnlyList<string>? Types { get; init; }
}
