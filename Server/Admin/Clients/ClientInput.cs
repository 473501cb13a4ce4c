namespace IdentityServer.Admin.Clients;

/// <summary>
/// A client to create, or the new state of one to update (<see cref="ClientId"/> is then taken from the address).
/// The same fields configuration declares under <c>IdentityServer:Clients</c>, minus the secret: the server makes it.
/// </summary>
internal sealed record ClientInput
{
    public string? ClientId { get; init; }

    public string? DisplayName { get; init; }

    /// <summary><c>public</c> (SPAs, mobile apps: no secret) or <c>confidential</c> (servers: the server makes a secret).</summary>
    public string? Type { get; init; }

    /// <summary>authorization_code, refresh_token, client_credentials.</summary>
    public List<string> GrantTypes { get; init; } = [];

    public List<string> Scopes { get; init; } = [];

    public List<string> RedirectUris { get; init; } = [];

    public List<string> PostLogoutRedirectUris { get; init; } = [];

    /// <summary>First-party clients skip the consent page.</summary>
    public bool FirstParty { get; init; }

    public bool AllowIntrospection { get; init; }
}
