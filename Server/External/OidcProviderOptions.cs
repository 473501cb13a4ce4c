namespace IdentityServer.External;

/// <summary>Any OpenID Connect provider, found by its issuer's discovery document.</summary>
internal sealed class OidcProviderOptions : ProviderCredentials
{
    /// <summary>Short name used in URLs (callback/login/{Name}): lowercase letters, digits and dashes.</summary>
    public string Name { get; set; } = "";

    public string? DisplayName { get; set; }

    public Uri? Issuer { get; set; }

    public List<string> Scopes { get; set; } = ["openid", "profile", "email"];
}
