namespace IdentityServer.Data;

/// <summary>
/// One security-relevant event: a sign-in, a credential change, a refused token request, an administrator's write.
/// It names who and what, never a secret, password, code or token.
/// </summary>
internal sealed class AuditEvent
{
    public long Id { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>What happened (<c>AuditEventTypes</c>), for example <c>signin.failed</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The account the event is about, when there is one.</summary>
    public string? UserId { get; set; }

    public string? UserName { get; set; }

    /// <summary>The client the event is about, when there is one.</summary>
    public string? ClientId { get; set; }

    /// <summary>Who did it, when that is not the account itself: an administrator's user name or an admin client's id.</summary>
    public string? Actor { get; set; }

    /// <summary>The remote address of the request that caused it.</summary>
    public string? Address { get; set; }

    /// <summary>Why, in a word or an error code: <c>wrong_password</c>, <c>locked_out</c>, <c>invalid_grant</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>JSON with more detail: for administrative writes, the non-secret fields before and after.</summary>
    public string? Details { get; set; }
}
