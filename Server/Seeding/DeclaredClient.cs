namespace IdentityServer.Seeding;

/// <summary>A client application as configuration declares it.</summary>
internal sealed class DeclaredClient
{
    public string ClientId { get; set; } = "";

    public string? DisplayName { get; set; }

    public ClientType Type { get; set; } = ClientType.Confidential;

    public string? Secret { get; set; }

    /// <summary>
    /// The client's public keys as a JSON Web Key Set (<c>{"keys":[…]}</c>): it authenticates with signed
    /// assertions (private_key_jwt, RFC 7523) instead of a secret.
    /// </summary>
    public string? Jwks { get; set; }

    /// <summary>First-party clients skip the consent page.</summary>
    public bool FirstParty { get; set; }

    /// <summary>The client must push its authorization requests to /connect/par first (RFC 9126); a plain one is refused.</summary>
    public bool RequirePushedAuthorizationRequests { get; set; }

    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];

    /// <summary>
    /// Where the client receives logout tokens (OpenID Connect Back-Channel Logout 1.0) when a session in which it
    /// was issued tokens ends: https, or http to a loopback address.
    /// </summary>
    public string? BackchannelLogoutUri { get; set; }

    /// <summary>authorization_code, refresh_token, client_credentials.</summary>
    public List<string> GrantTypes { get; set; } = [];

    public List<string> Scopes { get; set; } = [];

    /// <summary>May call the introspection endpoint (APIs that check tokens).</summary>
    public bool AllowIntrospection { get; set; }

    public TimeSpan? AccessTokenLifetime { get; set; }

    public TimeSpan? RefreshTokenLifetime { get; set; }
}
