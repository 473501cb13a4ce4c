namespace IdentityServer.Configuration;

/// <summary>The <c>IdentityServer</c> section of appsettings: everything an operator sets.</summary>
internal sealed class ServerOptions
{
    public const string Section = "IdentityServer";

    /// <summary>Absolute issuer URI. Optional in Development (derived from the request), required elsewhere.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>Whether OpenIddict insists on HTTPS. Off only for local development over http://localhost.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>
    /// The storage and pipeline short cuts that lean on OpenIddict's internals (Oidc/Storage/OidcFastPaths.cs).
    /// On by default; off runs OpenIddict's own stores and handlers, slower and otherwise the same — CI runs
    /// the protocol tests both ways, so an OpenIddict upgrade that breaks a short cut fails a test.
    /// </summary>
    public bool FastPaths { get; set; } = true;

    public TokenLifetimeOptions Tokens { get; set; } = new();

    public KeyOptions Keys { get; set; } = new();

    public DatabaseOptions Database { get; set; } = new();

    public SessionOptions Sessions { get; set; } = new();

    public AccountOptions Accounts { get; set; } = new();

    public RateLimitOptions RateLimits { get; set; } = new();

    public PruningOptions Pruning { get; set; } = new();

    public TelemetryOptions Telemetry { get; set; } = new();

    public ExternalOptions External { get; set; } = new();

    /// <summary>
    /// Reverse proxies (IP addresses) whose X-Forwarded-For / X-Forwarded-Proto headers are trusted.
    /// Empty: forwarded headers are ignored.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

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

internal sealed class SessionOptions
{
    /// <summary>A session unused for this long ends.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A session ends this long after sign-in, however busy.</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Sensitive account changes need an interactive authentication at most this old.</summary>
    public TimeSpan ReauthenticationWindow { get; set; } = TimeSpan.FromMinutes(5);
}

internal sealed class AccountOptions
{
    public bool AllowRegistration { get; set; } = true;

    /// <summary>New accounts must confirm their email before they can sign in.</summary>
    public bool RequireConfirmedEmail { get; set; } = true;

    public int MinimumPasswordLength { get; set; } = 12;

    /// <summary>Failed sign-ins before a temporary lockout.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public EmailOptions Email { get; set; } = new();
}

internal sealed class EmailOptions
{
    public string From { get; set; } = "IdentityServer <no-reply@localhost>";

    /// <summary>
    /// Folder that receives each message as an .eml file when no SMTP host is set. Development falls back to
    /// "mail"; anywhere else it is used only when set explicitly (a folder of reset links is not a mail server).
    /// </summary>
    public string? PickupDirectory { get; set; }

    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    /// <summary>None, StartTls (default) or SslOnConnect.</summary>
    public string SmtpSecurity { get; set; } = "StartTls";

    public string? SmtpUserName { get; set; }

    public string? SmtpPassword { get; set; }

    /// <summary>Messages waiting to be sent; beyond it a new message is dropped (and logged), never waited for.</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Attempts per message, transient failures only; the delay doubles from <see cref="RetryDelay"/>.</summary>
    public int MaxAttempts { get; set; } = 4;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);
}

internal sealed class PruningOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Time between runs, unless <see cref="Cron"/> is set.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A Quartz cron expression (for example "0 0 3 * * ?"); overrides <see cref="Interval"/>.</summary>
    public string? Cron { get; set; }

    /// <summary>
    /// How long finished rows (redeemed, revoked, expired) are kept. Default: the refresh token lifetime, so a
    /// rotated refresh token stays recognisable — and its reuse detectable — for as long as it could have been valid.
    /// </summary>
    public TimeSpan? Retention { get; set; }

    /// <summary>The first run comes this long after start-up, plus up to the same again at random.</summary>
    public TimeSpan FirstRunDelay { get; set; } = TimeSpan.FromMinutes(1);

    public int MaxAttempts { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);
}

internal sealed class TelemetryOptions
{
    /// <summary>Serve a Prometheus scrape endpoint at /metrics.</summary>
    public bool Prometheus { get; set; }

    /// <summary>Export metrics and traces over OTLP to this endpoint (for example http://collector:4317).</summary>
    public Uri? OtlpEndpoint { get; set; }
}

/// <summary>Third-party sign-in. Nothing is active unless configured.</summary>
internal sealed class ExternalOptions
{
    public ProviderCredentials? GitHub { get; set; }

    public ProviderCredentials? Google { get; set; }

    /// <summary>Any OpenID Connect provider, by issuer URL.</summary>
    public List<OidcProvider> Providers { get; set; } = [];
}

internal class ProviderCredentials
{
    public string ClientId { get; set; } = "";

    public string? ClientSecret { get; set; }
}

internal sealed class OidcProvider : ProviderCredentials
{
    /// <summary>Short name used in URLs (callback/login/{Name}): lowercase letters, digits and dashes.</summary>
    public string Name { get; set; } = "";

    public string? DisplayName { get; set; }

    public Uri? Issuer { get; set; }

    public List<string> Scopes { get; set; } = ["openid", "profile", "email"];
}
