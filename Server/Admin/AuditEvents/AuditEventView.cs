namespace IdentityServer.Admin.AuditEvents;

/// <summary>One audit event; <see cref="Details"/> is the JSON its writer recorded (never a secret).</summary>
internal sealed record AuditEventView(long Id, DateTimeOffset OccurredAt, string Type, string? UserId, string? UserName, string? ClientId, string? Actor,
    string? Address, string? Reason, string? Details);
