namespace IdentityServer.Audit;

/// <summary>
/// What to look for in the audit trail. <see cref="Type"/> without a dot is an area (<c>signin</c> finds every
/// <c>signin.*</c>); <see cref="Text"/> matches user names, client ids, actors and reasons.
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
