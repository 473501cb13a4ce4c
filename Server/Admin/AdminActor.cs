namespace IdentityServer.Admin;

/// <summary>Who makes an administrative change: an admin client (client_credentials) or a person with the admin role.</summary>
/// <param name="Name">What the audit trail records as the actor: the person's user name, <c>client:</c> and the client id, or <c>cli:</c> and the OS user.</param>
/// <param name="UserId">The person's id; null for a client.</param>
internal sealed record AdminActor(string Name, string? UserId)
{
    /// <summary>
    /// A client is recorded under a prefix no user name can hold (Identity allows no colon in one): a client may be
    /// named like a person, and its changes must not read as that person's.
    /// </summary>
    public static AdminActor Client(string clientId) => new("client:" + clientId, null);

    public bool IsPerson => UserId is not null;
}
