namespace IdentityServer.Registration;

/// <summary>
/// What this server keeps about a registered client in its OpenIddict application's settings. The token hash marks a
/// client as registered: configured clients never have one, so they can never be read or deleted through RFC 7592.
/// </summary>
internal static class RegistrationSettings
{
    private const string Prefix = "idsrv:registration:";

    /// <summary>SHA-256 of the registration access token (base64url). The token is 256 random bits: a fast hash is enough.</summary>
    public const string TokenHash = Prefix + "token_hash";

    /// <summary>When the client was registered, in Unix seconds (its <c>client_id_issued_at</c>).</summary>
    public const string IssuedAt = Prefix + "issued_at";

    /// <summary>"true" once the prune job has seen the client with an authorization or token: it completed a sign-in.</summary>
    public const string SignedIn = Prefix + "signed_in";

    public const string Scope = Prefix + "scope";
    public const string ClientUri = Prefix + "client_uri";
    public const string LogoUri = Prefix + "logo_uri";
}
