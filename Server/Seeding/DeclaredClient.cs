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

    /// <summary>
    /// The client's public keys as a PEM file (one or more <c>-----BEGIN PUBLIC KEY-----</c> blocks, RSA or EC),
    /// relative to the content root: an alternative to <see cref="Jwks"/>, read at every start.
    /// </summary>
    public string? PublicKeyFile { get; set; }

    /// <summary>The key set read from <see cref="PublicKeyFile"/> at start (not a setting).</summary>
    internal string? LoadedJwks { get; set; }

    /// <summary>The client's keys, however declared.</summary>
    internal string? KeySet => Jwks ?? LoadedJwks;

    /// <summary>First-party clients skip the consent page.</summary>
    public bool FirstParty { get; set; }

    /// <summary>The client must push its authorization requests to /connect/par first (RFC 9126); a plain one is refused.</summary>
    public bool RequirePushedAuthorizationRequests { get; set; }

    /// <summary>
    /// Every authorization request of this client needs a second factor checked within
    /// <c>Sessions:StepUpWindow</c>, as if it asked for <c>acr_values=mfa</c>.
    /// </summary>
    public bool RequireMfa { get; set; }

    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];

    /// <summary>
    /// Where the client receives logout tokens (OpenID Connect Back-Channel Logout 1.0) when a session in which it
    /// was issued tokens ends: https, or http to a loopback address.
    /// </summary>
    public string? BackchannelLogoutUri { get; set; }

    /// <summary>authorization_code, refresh_token, client_credentials, device_code, token_exchange.</summary>
    public List<string> GrantTypes { get; set; } = [];

    public List<string> Scopes { get; set; } = [];

    /// <summary>
    /// The declared resources (by URI) this client may ask tokens for with <c>resource</c> (RFC 8707) and, with
    /// the token_exchange grant, exchange a subject token for.
    /// </summary>
    public List<string> Resources { get; set; } = [];

    /// <summary>
    /// Token exchange (RFC 8693): the audiences a subject token must carry (one of them) for this client to
    /// exchange it, normally the client's own API. A token issued for another API is refused.
    /// </summary>
    public List<string> SubjectTokenAudiences { get; set; } = [];

    /// <summary>
    /// Token exchange: issue tokens without the <c>act</c> claim naming this client, so the API receiving them
    /// cannot tell the client from the person. Off by default; only for fully trusted gateways.
    /// </summary>
    public bool AllowImpersonation { get; set; }

    /// <summary>May call the introspection endpoint (APIs that check tokens).</summary>
    public bool AllowIntrospection { get; set; }

    public TimeSpan? AccessTokenLifetime { get; set; }

    public TimeSpan? RefreshTokenLifetime { get; set; }
}
