namespace IdentityServer.Configuration;

/// <summary>The <c>IdentityServer</c> section of appsettings: everything an operator sets.</summary>
internal sealed class ServerOptions
{
    public const string Section = "IdentityServer";

    /// <summary>Absolute issuer URI. Optional in Development (derived from the request), required elsewhere.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>Whether OpenIddict insists on HTTPS. Off only for local development over http://localhost.</summary>
    public bool RequireHttps { get; set; } = true;

    public TokenLifetimeOptions Tokens { get; set; } = new();

    public KeyOptions Keys { get; set; } = new();

    public DatabaseOptions Database { get; set; } = new();

    public List<DeclaredClient> Clients { get; set; } = [];

    public List<DeclaredScope> Scopes { get; set; } = [];

    public List<DeclaredUser> Users { get; set; } = [];
}

internal sealed class TokenLifetimeOptions
{
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a rotated refresh token may still be redeemed (for racing requests of one app).
    /// Past it, a reuse revokes the whole chain. Zero: the first reuse revokes.
    /// </summary>
    public TimeSpan RefreshTokenReuseLeeway { get; set; } = TimeSpan.FromSeconds(5);
}

internal sealed class KeyOptions
{
    /// <summary>Folder for generated development keys (relative to the content root).</summary>
    public string Directory { get; set; } = "../certs";

    /// <summary>RSA private key (PEM) that signs identity tokens, and access tokens when the algorithm is RS256.</summary>
    public string? RsaSigningKeyFile { get; set; }

    /// <summary>ECDSA P-256 private key (PEM) that signs access tokens when the algorithm is ES256.</summary>
    public string? EcdsaSigningKeyFile { get; set; }

    /// <summary>RSA private key (PEM) that encrypts codes and refresh tokens (only this server reads them).</summary>
    public string? EncryptionKeyFile { get; set; }

    /// <summary>RS256 (default) or ES256.</summary>
    public string AccessTokenSigningAlgorithm { get; set; } = "RS256";

    /// <summary>Generate missing key files into <see cref="Directory"/>. On by default in Development only.</summary>
    public bool GenerateMissing { get; set; }
}

internal sealed class DatabaseOptions
{
    public string Provider { get; set; } = "Sqlite";

    public string ConnectionString { get; set; } = "Data Source=identity.db";

    public bool MigrateAtStartup { get; set; } = true;
}

internal sealed class DeclaredClient
{
    public string ClientId { get; set; } = "";

    public string? DisplayName { get; set; }

    /// <summary>public or confidential.</summary>
    public string Type { get; set; } = "confidential";

    public string? Secret { get; set; }

    /// <summary>First-party clients skip the consent page.</summary>
    public bool FirstParty { get; set; }

    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];

    /// <summary>authorization_code, refresh_token, client_credentials.</summary>
    public List<string> GrantTypes { get; set; } = [];

    public List<string> Scopes { get; set; } = [];

    /// <summary>May call the introspection endpoint (APIs that check tokens).</summary>
    public bool AllowIntrospection { get; set; }

    public TimeSpan? AccessTokenLifetime { get; set; }

    public TimeSpan? RefreshTokenLifetime { get; set; }
}

internal sealed class DeclaredScope
{
    public string Name { get; set; } = "";

    public string? DisplayName { get; set; }

    public string? Description { get; set; }

    /// <summary>Audiences (APIs) a token with this scope is meant for.</summary>
    public List<string> Resources { get; set; } = [];
}

internal sealed class DeclaredUser
{
    public string UserName { get; set; } = "";

    public string? Email { get; set; }

    public string? Password { get; set; }

    public string? Name { get; set; }

    public bool EmailConfirmed { get; set; } = true;

    public List<string> Roles { get; set; } = [];
}
