namespace IdentityServer.Admin;

/// <summary>Who makes an administrative change: an admin client (client_credentials) or a person with the admin role.</summary>
/// <param name="Name">The client id, or the person's user name: what the audit trail records as the actor.</param>
/// <param name="UserId">The person's id; null for a client.</param>
internal sealed record AdminActor(string Name, string? UserId)
{
    public bool IsPerson => UserId is not null;
}
