using IdentityServer.Accounts;
using IdentityServer.Accounts.Email;
using IdentityServer.Admin;
using IdentityServer.BackchannelLogout;
using IdentityServer.ClientMetadata;
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

namespace IdentityServer.Configuration;

internal static class ConfigurationSetup
{
    /// <summary>
    /// Binds each feature's section and validates all of them now, before anything (keys, database) is built
    /// from them, so bad values stop start-up together, each message naming its key. Each feature's options
    /// are then registered with their validator for <c>IOptions&lt;T&gt;</c>.
    /// </summary>
    public static ServerSettings AddServerSettings(this WebApplicationBuilder builder)
    {
        StartupFailures.ReportInOneLine();
        var sections = new FeatureSections(builder);
        var settings = new ServerSettings(
            sections.Add(OidcOptions.Section, new OidcOptionsValidator()),
            sections.Add(TokenLifetimeOptions.Section, new TokenLifetimeOptionsValidator()),
            sections.Add(KeyOptions.Section, new KeyOptionsValidator()),
            sections.Add(KeyRotationOptions.Section, new KeyRotationOptionsValidator()),
            sections.Add(DatabaseOptions.Section, new DatabaseOptionsValidator()),
            sections.Add(SessionLifetimeOptions.Section, new SessionLifetimeOptionsValidator()),
            sections.Add(AccountOptions.Section, new AccountOptionsValidator()),
            sections.Add(EmailOptions.Section, new EmailOptionsValidator()),
            sections.Add(RateLimitOptions.Section, new RateLimitOptionsValidator()),
            sections.Add(PruningOptions.Section, new PruningOptionsValidator()),
            sections.Add(TelemetryOptions.Section, new TelemetryOptionsValidator()),
            sections.Add(ExternalOptions.Section, new ExternalOptionsValidator()),
            sections.Add(ProxyOptions.Section, new ProxyOptionsValidator()),
            sections.Add(SeedOptions.Section, new SeedOptionsValidator()),
            sections.Add(BackchannelLogoutOptions.Section, new BackchannelLogoutOptionsValidator()),
            sections.Add(ClientMetadataOptions.Section, new ClientMetadataOptionsValidator()),
            sections.Add(RegistrationOptions.Section, new RegistrationOptionsValidator()),
            sections.Add(AdminOptions.Section, new AdminOptionsValidator()),
            sections.Add(PasskeyOptions.Section, new PasskeyOptionsValidator()));
        var contentRoot = builder.Environment.ContentRootPath;
        sections.Fail(PublicKeyFiles.Load(settings.Declared, contentRoot));
        builder.Services.PostConfigure<SeedOptions>(declared => PublicKeyFiles.Load(declared, contentRoot));
        sections.Fail(EnvironmentRules.Check(settings, builder.Environment));
        sections.Fail(settings.KeyRotation.CheckRetention(new[] { settings.Tokens.AccessTokenLifetime, settings.Tokens.IdentityTokenLifetime }
            .Concat(settings.Declared.Clients.Select(c => c.AccessTokenLifetime ?? TimeSpan.Zero).Where(l => l <= TimeSpan.FromDays(1))).Max()));
        sections.Fail(BackchannelLogoutRules.Check(settings.BackchannelLogout, settings.Declared.Clients.Select(c => c.BackchannelLogoutUri).ToList(), settings.Oidc.Issuer));
        sections.Fail(PasskeyRelyingParty.Check(settings.Passkeys, settings.Oidc.Issuer, settings.Oidc.RequireHttps));
        sections.Fail(settings.Registration.UnknownScopes(settings.Declared.Scopes.Select(s => s.Name)));
        sections.ThrowIfAnyFailed();
        return settings;
    }
}
