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

/// <summary>
/// Every feature's settings as bound and validated at start-up, for <c>Program.cs</c> to hand each
/// <c>AddX</c> what it composes from. Running code reads the same values through <c>IOptions&lt;T&gt;</c>.
/// </summary>
internal sealed record ServerSettings(
    OidcOptions Oidc,
    TokenLifetimeOptions Tokens,
    KeyOptions Keys,
    KeyRotationOptions KeyRotation,
    DatabaseOptions Database,
    SessionLifetimeOptions Sessions,
    AccountOptions Accounts,
    EmailOptions Email,
    RateLimitOptions RateLimits,
    PruningOptions Pruning,
    TelemetryOptions Telemetry,
    ExternalOptions External,
    ProxyOptions Proxies,
    SeedOptions Declared,
    BackchannelLogoutOptions BackchannelLogout,
    ClientMetadataOptions ClientMetadata,
    RegistrationOptions Registration,
    AdminOptions Admin,
    PasskeyOptions Passkeys);
