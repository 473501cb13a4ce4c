using IdentityServer.Accounts;
using IdentityServer.Accounts.Email;
using IdentityServer.Admin;
using IdentityServer.BackchannelLogout;
using IdentityServer.ClientMetadata;
using IdentityServer.Configuration;
using IdentityServer.Data;
using IdentityServer.External;
using IdentityServer.Hosting;
using IdentityServer.Jobs;
using IdentityServer.Keys;
using IdentityServer.Oidc;
using IdentityServer.Passkeys;
using IdentityServer.RateLimiting;
using IdentityServer.Registration;
using IdentityServer.Seeding;
using IdentityServer.Sessions;
using IdentityServer.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace IdentityServer.Tests.Configuration;

/// <summary>Each feature's validator on its own, no server: what it refuses and the key its message names.</summary>
public sealed class OptionsValidationTests
{
    private static List<string> Failures<TOptions>(string section, IValidateOptions<TOptions> generated, TOptions options)
        where TOptions : class =>
        new SectionValidator<TOptions>(section, generated).Validate(Options.DefaultName, options).Failures?.ToList() ?? [];

    private static ServerSettings Defaults() => new(new OidcOptions(), new TokenLifetimeOptions(), new KeyOptions(), new KeyRotationOptions(), new DatabaseOptions(),
        new SessionLifetimeOptions(), new AccountOptions(), new EmailOptions(), new RateLimitOptions(), new PruningOptions(), new TelemetryOptions(),
        new ExternalOptions(), new ProxyOptions(), new SeedOptions(), new BackchannelLogoutOptions(), new ClientMetadataOptions(), new RegistrationOptions(), new AdminOptions(), new PasskeyOptions());

    [Fact]
    public void EveryFeaturesDefaultsAreValid()
    {
        Assert.Empty(Failures(OidcOptions.Section, new OidcOptionsValidator(), new OidcOptions()));
        Assert.Empty(Failures(TokenLifetimeOptions.Section, new TokenLifetimeOptionsValidator(), new TokenLifetimeOptions()));
        Assert.Empty(Failures(KeyOptions.Section, new KeyOptionsValidator(), new KeyOptions()));
        Assert.Empty(Failures(PasskeyOptions.Section, new PasskeyOptionsValidator(), new PasskeyOptions()));
        Assert.Empty(Failures(KeyRotationOptions.Section, new KeyRotationOptionsValidator(), new KeyRotationOptions()));
        Assert.Empty(Failures(DatabaseOptions.Section, new DatabaseOptionsValidator(), new DatabaseOptions()));
        Assert.Empty(Failures(SessionLifetimeOptions.Section, new SessionLifetimeOptionsValidator(), new SessionLifetimeOptions()));
        Assert.Empty(Failures(AccountOptions.Section, new AccountOptionsValidator(), new AccountOptions()));
        Assert.Empty(Failures(EmailOptions.Section, new EmailOptionsValidator(), new EmailOptions()));
        Assert.Empty(Failures(RateLimitOptions.Section, new RateLimitOptionsValidator(), new RateLimitOptions()));
        Assert.Empty(Failures(PruningOptions.Section, new PruningOptionsValidator(), new PruningOptions()));
        Assert.Empty(Failures(TelemetryOptions.Section, new TelemetryOptionsValidator(), new TelemetryOptions()));
        Assert.Empty(Failures(ExternalOptions.Section, new ExternalOptionsValidator(), new ExternalOptions()));
        Assert.Empty(Failures(RegistrationOptions.Section, new RegistrationOptionsValidator(), new RegistrationOptions()));
        Assert.Empty(Failures(ProxyOptions.Section, new ProxyOptionsValidator(), new ProxyOptions()));
        Assert.Empty(Failures(SeedOptions.Section, new SeedOptionsValidator(), new SeedOptions()));
        Assert.Empty(Failures(BackchannelLogoutOptions.Section, new BackchannelLogoutOptionsValidator(), new BackchannelLogoutOptions()));
        Assert.Empty(EnvironmentRules.Check(Defaults(), new HostingEnvironment { EnvironmentName = Environments.Development }));
    }

    [Fact]
    public void ALifetimeOutOfItsRangeIsNamedWithItsBounds()
    {
        var failures = Failures(TokenLifetimeOptions.Section, new TokenLifetimeOptionsValidator(),
            new TokenLifetimeOptions { AuthorizationCodeLifetime = TimeSpan.FromMinutes(30), AccessTokenLifetime = TimeSpan.FromMinutes(-1) });

        Assert.Equal(
            ["IdentityServer:Tokens:AccessTokenLifetime: must be between 00:00:01 and 1.00:00:00.",
             "IdentityServer:Tokens:AuthorizationCodeLifetime: must be between 00:00:01 and 00:05:00."],
            failures);
    }

    [Fact]
    public void AnUndefinedEnumValueIsNamedWithTheChoices()
    {
        var failures = Failures(KeyOptions.Section, new KeyOptionsValidator(), new KeyOptions { AccessTokenSigningAlgorithm = (SigningAlgorithm)7 });
        Assert.Equal(["IdentityServer:Keys:AccessTokenSigningAlgorithm: use RS256 or ES256."], failures);

        var database = Failures(DatabaseOptions.Section, new DatabaseOptionsValidator(), new DatabaseOptions { Provider = (DatabaseProvider)2, ConnectionString = " " });
        Assert.Equal(["IdentityServer:Database:Provider: use Sqlite or Postgres.", "IdentityServer:Database:ConnectionString: a connection string is required."], database);
    }

    [Fact]
    public void AZeroRateLimitIsRefused()
    {
        var failures = Failures(RateLimitOptions.Section, new RateLimitOptionsValidator(), new RateLimitOptions { FailedSignInsPerMinutePerAccount = 0 });
        Assert.Equal(["IdentityServer:RateLimits:FailedSignInsPerMinutePerAccount: must be between 1 and 2147483647."], failures);
    }

    [Fact]
    public void DeclaredClientsAreCheckedAgainstTheDeclaredScopesAndNamedByIndex()
    {
        var declared = new SeedOptions
        {
            Scopes = [new DeclaredScope { Name = "api" }, new DeclaredScope { Name = "openid" }],
            Clients =
            [
                new DeclaredClient { ClientId = "ok", Secret = "0123456789abcdef", GrantTypes = ["client_credentials"], Scopes = ["api"] },
                new DeclaredClient { ClientId = "spa", Type = ClientType.Public, Secret = "x", AllowIntrospection = true, GrantTypes = ["authorization_code", "password"], Scopes = ["nope"] },
            ],
            Users = [new DeclaredUser { UserName = "alice", Password = "p", Email = "no-at-sign" }, new DeclaredUser { UserName = "ALICE", Password = "p" }],
        };

        Assert.Equal(
            [
                "IdentityServer:Scopes:1:Name: the scope 'openid' is declared twice or shadows a built-in scope.",
                "IdentityServer:Clients:1:Secret: a public client cannot have a secret.",
                "IdentityServer:Clients:1:AllowIntrospection: a public client cannot call the introspection endpoint (it has no secret to authenticate with).",
                "IdentityServer:Clients:1:GrantTypes:1: 'password' is not supported; use authorization_code, refresh_token, client_credentials, device_code, token_exchange.",
                "IdentityServer:Clients:1:RedirectUris: a client using authorization_code needs at least one redirect URI.",
                "IdentityServer:Clients:1:Scopes:0: the scope 'nope' is not declared under IdentityServer:Scopes.",
                "IdentityServer:Users:0:Email: 'no-at-sign' is not an email address.",
                "IdentityServer:Users:1:UserName: 'ALICE' is declared twice.",
            ],
            Failures(SeedOptions.Section, new SeedOptionsValidator(), declared));
    }

    [Fact]
    public void ProvidersProxiesCronAndIssuerAreCheckedByTheirOwnRules()
    {
        var external = new ExternalOptions { GitHub = new ProviderCredentials { ClientId = "id" }, Providers = [new OidcProviderOptions { Name = "Corp!", ClientId = "c" }] };
        Assert.Equal(
            [
                "IdentityServer:External:GitHub:ClientSecret: the client secret registered with GitHub is required (set it from an environment variable, not in a file).",
                "IdentityServer:External:Providers:0:Name: 'Corp!' must be 1-40 lowercase letters, digits or dashes.",
                "IdentityServer:External:Providers:0:Issuer: an absolute http(s) issuer URL is required.",
            ],
            Failures(ExternalOptions.Section, new ExternalOptionsValidator(), external));
        Assert.Equal(["IdentityServer:KnownProxies:1: 'proxy.local' is not an IP address."],
            Failures(ProxyOptions.Section, new ProxyOptionsValidator(), new ProxyOptions { KnownProxies = ["10.0.0.1", "proxy.local"] }));
        Assert.StartsWith("IdentityServer:Pruning:Cron: 'every night' is not a Quartz cron expression",
            Assert.Single(Failures(PruningOptions.Section, new PruningOptionsValidator(), new PruningOptions { Cron = "every night" })), StringComparison.Ordinal);
        Assert.Equal(["IdentityServer:Issuer: 'http://id.example.com/' is http while IdentityServer:RequireHttps is true."],
            Failures(OidcOptions.Section, new OidcOptionsValidator(), new OidcOptions { Issuer = new Uri("http://id.example.com/") }));
    }

    [Fact]
    public void OutsideDevelopmentTheIssuerKeyFilesAndAMailServerMustBeSet()
    {
        var production = new HostingEnvironment { EnvironmentName = Environments.Production };
        var es256 = new KeyOptions { AccessTokenSigningAlgorithm = SigningAlgorithm.ES256 };
        const string Issuer = "IdentityServer:Issuer: an explicit issuer URI is required outside Development.";
        const string Mail = "IdentityServer:Accounts:Email:SmtpHost: account mail (confirmation, password reset) needs an SMTP host outside Development, or IdentityServer:Accounts:Email:PickupDirectory to write each message to a file.";
        static string File(string name) => $"IdentityServer:Keys:{name}: a key file is required outside Development (or set IdentityServer:Keys:GenerateMissing).";

        // Rotation (the default) keeps the signing keys in the database: only the encryption key needs a file.
        Assert.Equal([Issuer, File("EncryptionKeyFile"), Mail], EnvironmentRules.Check(Defaults() with { Keys = es256 }, production));

        var managed = Defaults() with { Keys = es256, KeyRotation = new KeyRotationOptions { Enabled = false } };
        Assert.Equal([Issuer, File("EncryptionKeyFile"), File("RsaSigningKeyFile"), File("EcdsaSigningKeyFile"), Mail], EnvironmentRules.Check(managed, production));
    }

    [Fact]
    public void RotationPeriodsMustLeaveTimeToPropagateAndOutliveTokens()
    {
        var options = new KeyRotationOptions { PropagationPeriod = TimeSpan.FromHours(1), MetadataMaxAge = TimeSpan.FromHours(2), RotationPeriod = TimeSpan.FromMinutes(30) };
        Assert.Equal(
            [
                "IdentityServer:Keys:Rotation:MetadataMaxAge: must be shorter than the PropagationPeriod, or an API could miss a new key until after it signs.",
                "IdentityServer:Keys:Rotation:RotationPeriod: must be longer than the PropagationPeriod: the next key is announced that long before the current one's period ends.",
            ],
            Failures(KeyRotationOptions.Section, new KeyRotationOptionsValidator(), options));
        Assert.Equal(
            ["IdentityServer:Keys:Rotation:RetentionPeriod: must be at least the longest access- or identity-token lifetime (01:00:00), or tokens signed by a retired key stop validating before they expire."],
            new KeyRotationOptions { RetentionPeriod = TimeSpan.FromMinutes(10) }.CheckRetention(TimeSpan.FromHours(1)));
    }

    [Fact]
    public void PerClientLifetimesKeepTheServersBoundsAndRedirectsCannotRunScript()
    {
        var declared = new SeedOptions
        {
            Clients =
            [
                new DeclaredClient
                {
                    ClientId = "c", Secret = "0123456789abcdef", GrantTypes = ["authorization_code"], RedirectUris = ["javascript:alert(1)"],
                    AccessTokenLifetime = TimeSpan.FromDays(10_675_199), RefreshTokenLifetime = TimeSpan.FromDays(3_650_000),
                },
            ],
        };

        Assert.Equal(
            [
                "IdentityServer:Clients:0:RedirectUris:0: 'javascript:' addresses cannot receive a sign-in; use https (or a custom scheme of a native app).",
                "IdentityServer:Clients:0:AccessTokenLifetime: '10675199.00:00:00' must be between 00:00:01 and 1.00:00:00.",
                "IdentityServer:Clients:0:RefreshTokenLifetime: '3650000.00:00:00' must be between 00:00:01 and 3650.00:00:00.",
            ],
            Failures(SeedOptions.Section, new SeedOptionsValidator(), declared));
    }

    [Fact]
    public void AStepUpWindowOutOfItsRangeIsNamed()
    {
        var failures = Failures(SessionLifetimeOptions.Section, new SessionLifetimeOptionsValidator(), new SessionLifetimeOptions { StepUpWindow = TimeSpan.FromSeconds(5) });

        Assert.Equal(["IdentityServer:Sessions:StepUpWindow: must be between 00:01:00 and 1.00:00:00."], failures);
    }

    [Fact]
    public void RequireMfaIsOnlyForAClientThatSignsPeopleIn()
    {
        var declared = new SeedOptions
        {
            Scopes = [new DeclaredScope { Name = "api" }],
            Clients =
            [
                new DeclaredClient { ClientId = "machine", Secret = "0123456789abcdef", GrantTypes = ["client_credentials"], Scopes = ["api"], RequireMfa = true },
                new DeclaredClient { ClientId = "web", Secret = "0123456789abcdef", GrantTypes = ["authorization_code"], RedirectUris = ["https://app.example/cb"], RequireMfa = true },
            ],
        };

        Assert.Equal(
            ["IdentityServer:Clients:0:RequireMfa: only a client using authorization_code or device_code signs people in; a second factor cannot be required of anything else."],
            Failures(SeedOptions.Section, new SeedOptionsValidator(), declared));
    }

    [Theory]
    [InlineData("not json", "is not a JSON Web Key Set")]
    [InlineData("{\"keys\":[]}", "must hold at least one key, each RSA or EC.")]
    [InlineData("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\",\"d\":\"AA\"}]}", "holds a private key")]
    public void AKeySetThatCannotServeIsNamed(string jwks, string problem)
    {
        var declared = new SeedOptions { Clients = [new DeclaredClient { ClientId = "c", Jwks = jwks, GrantTypes = ["client_credentials"] }] };
        var failure = Assert.Single(Failures(SeedOptions.Section, new SeedOptionsValidator(), declared));
        Assert.StartsWith("IdentityServer:Clients:0:Jwks: " + problem, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void ResourcesAndTokenExchangeAreCheckedByPath()
    {
        var declared = new SeedOptions
        {
            Resources = [new DeclaredResource { Uri = "https://api.example/" }, new DeclaredResource { Uri = "api" }, new DeclaredResource { Uri = "https://api.example/" }],
            Clients =
            [
                new DeclaredClient { ClientId = "a", Secret = "0123456789abcdef", GrantTypes = ["token_exchange"], Resources = ["https://other.example/"] },
                new DeclaredClient { ClientId = "b", Type = ClientType.Public, GrantTypes = ["token_exchange"], Resources = ["https://api.example/"], SubjectTokenAudiences = ["https://b.example/"] },
                new DeclaredClient { ClientId = "c", Secret = "0123456789abcdef", GrantTypes = ["client_credentials"], AllowImpersonation = true },
                new DeclaredClient { ClientId = "d", Secret = "0123456789abcdef", GrantTypes = ["token_exchange"], Resources = ["https://api.example/"], SubjectTokenAudiences = ["https://api.example/"] },
            ],
        };

        Assert.Equal(
            [
                "IdentityServer:Resources:1:Uri: 'api' must be an absolute URI without a fragment or spaces (e.g. https://api.example.com/).",
                "IdentityServer:Resources:2:Uri: the resource 'https://api.example/' is declared twice.",
                "IdentityServer:Clients:0:Resources:0: the resource 'https://other.example/' is not declared under IdentityServer:Resources.",
                "IdentityServer:Clients:0:SubjectTokenAudiences: a client using token_exchange must name the audiences of the tokens it may exchange (normally its own API's URI).",
                "IdentityServer:Clients:1:GrantTypes: a public client cannot use token_exchange: the exchanging API must authenticate.",
                "IdentityServer:Clients:2:AllowImpersonation: applies only to a client using the token_exchange grant.",
                "IdentityServer:Clients:3:SubjectTokenAudiences: 'https://api.example/' is also among the client's Resources: it could exchange the tokens it is given for new ones without end.",
            ],
            Failures(SeedOptions.Section, new SeedOptionsValidator(), declared));
    }

    [Fact]
    public void AConnectionStringOfTheOtherDatabaseIsNamed()
    {
        var failures = Failures(DatabaseOptions.Section, new DatabaseOptionsValidator(), new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = "Data Source=identity.db" });
        Assert.StartsWith("IdentityServer:Database:ConnectionString: is not a PostgreSQL connection string", Assert.Single(failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AccessTokenLifetime", "AccessTokenLifetime")]
    [InlineData("Clients[0].Scopes[12]", "Clients:0:Scopes:12")]
    [InlineData("External.Providers[3].Name", "External:Providers:3:Name")]
    public void APathBecomesAConfigurationKey(string path, string key) =>
        Assert.Equal(key, SectionValidator<OidcOptions>.KeyOf(path));

    [Theory]
    [InlineData("evil.example", "https://login.example.com", "must be the issuer's host")]
    [InlineData("xample.com", "https://login.example.com", "must be the issuer's host")]
    [InlineData("127.0.0.1", "https://login.example.com", "is not a domain name")]
    [InlineData("com", "https://login.example.com", "is not a domain name")]
    public void PasskeyRelyingPartyOutsideTheIssuersDomainsIsRefused(string id, string issuer, string expected)
    {
        var failure = Assert.Single(PasskeyRelyingParty.Check(new PasskeyOptions { RelyingPartyId = id }, new Uri(issuer), requireHttps: true));
        Assert.StartsWith("IdentityServer:Passkeys:RelyingPartyId:", failure, StringComparison.Ordinal);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://app.example.com/path")]
    [InlineData("https://app.example.com/")]
    [InlineData("http://app.example.com")]
    [InlineData("https://example.org")]
    public void PasskeyOriginsMustBeOriginsOnTheRelyingParty(string origin)
    {
        var options = new PasskeyOptions { RelyingPartyId = "example.com", AdditionalOrigins = [origin] };
        var failure = Assert.Single(PasskeyRelyingParty.Check(options, new Uri("https://login.example.com"), requireHttps: true));
        Assert.StartsWith("IdentityServer:Passkeys:AdditionalOrigins:", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void PasskeysOnAParentDomainWithItsSubdomainsAreAccepted() =>
        Assert.Empty(PasskeyRelyingParty.Check(new PasskeyOptions { RelyingPartyId = "example.com", AdditionalOrigins = ["https://app.example.com"] },
            new Uri("https://login.example.com"), requireHttps: true));
}
