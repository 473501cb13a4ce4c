namespace IdentityServer.Audit;

/// <summary>What a caller knows about an event; <see cref="AuditTrail"/> adds the time and the request's address.</summary>
internal sealed record AuditRecord(string Type)
{
    public string? UserId { get; init; }

    public string? UserName { get; init; }

    public string? ClientId { get; init; }

    public string? Actor { get; init; }

    public string? Reason { get; init; }

    /// <summary>Serialized as JSON. Never put a secret, password, code or token here.</summary>
    public object? Details { get; init; }
}
