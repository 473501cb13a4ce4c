using IdentityServer.Data;
using IdentityServer.Keys;
using IdentityServer.Oidc.Storage;
using IdentityServer.Seeding;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Oidc;

internal static class OidcSetup
{
    /// <param name="declared">The scopes, resources and clients configuration declares: what they use is switched on.</param>
    public static IServiceCollection AddOidc(this IServiceCollection services, OidcOptions options, TokenLifetimeOptions lifetimes, KeyOptions keyOptions,
        KeyRotationOptions rotation, SeedOptions declared, IHostEnvironment environment)
    {
        var keys = new KeyFiles(keyOptions, environment.ContentRootPath, keyOptions.GenerateMissing || environment.IsDevelopment());
        services.AddSingleton(keys);

        // Rotating keys live in the database (Keys/KeyRing.cs); otherwise the key files sign, as configured.
        var files = rotation.Enabled ? null : new SigningKeys(keys.RsaSigningKey(), keyOptions.AccessTokenSigningAlgorithm == SigningAlgorithm.ES256 ? keys.EcdsaSigningKey() : null);
        if (rotation.Enabled)
        {
            services.AddSigningKeyRotation();
        }

        var encryption = keys.EncryptionKey();
        services.ProtectKeyRingWith(encryption.Rsa);
        services.AddScoped<TokenPrincipalFactory>();
        services.AddScoped<AuthorizationErrorRedirect>();
        services.AddScoped<ConsentScopes>();
        services.AddScoped<AuthorizationDecision>();
        services.AddScoped<AuthorizationIssuer>();
        services.AddScoped<StepUp>();
        services.AddSingleton<RequestMarkers>();
        services.AddSingleton<ApplicationSnapshots>();
        services.AddSingleton<ClientSecretCache>();
        services.AddSingleton<CompiledQueries>();

        services.AddOptions<OpenIddictServerOptions>().Configure<TimeProvider>((o, time) => o.TimeProvider = time);
        services.AddOptions<OpenIddictCoreOptions>().Configure<TimeProvider>((o, time) => o.TimeProvider = time);
        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<ApplicationDbContext>();
                core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, CachingApplicationManager>();
            })
            .AddServer(server =>
            {
                if (options.Issuer is not null)
                {
                    server.SetIssuer(options.Issuer);
                }

                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetUserInfoEndpointUris("connect/userinfo")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .SetPushedAuthorizationEndpointUris("connect/par");

                // OAuth 2.1 profile: code + PKCE (S256 only), refresh tokens, client credentials. No implicit, no password.
                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().AllowClientCredentialsFlow();

                // Device authorization (RFC 8628) for devices without a browser, offered and advertised only when a
                // declared client may use it.
                var devices = declared.Clients.Any(c => c.GrantTypes.Contains(DeclarationRules.DeviceCode));
                if (devices)
                {
                    server.SetDeviceAuthorizationEndpointUris("connect/device").SetEndUserVerificationEndpointUris("device").AllowDeviceAuthorizationFlow();
                }
                server.RequireProofKeyForCodeExchange();
                server.Configure(o => o.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));

                // Token exchange (RFC 8693) is offered, and advertised, only when a declared client may use it.
                if (declared.Clients.Any(c => c.GrantTypes.Contains(DeclarationRules.TokenExchange)))
                {
                    server.AllowTokenExchangeFlow();
                }

                server.RegisterScopes([Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles, Scopes.OfflineAccess, .. declared.Scopes.Select(s => s.Name)]);

                // Resource indicators (RFC 8707): the declared APIs, each permitted per client (rsrc:). Token exchange
                // names the same APIs as audiences.
                var resources = declared.Resources.Select(r => r.Uri).ToArray();
                server.RegisterResources(resources).RegisterAudiences(resources);
                server.RegisterClaims(Claims.Subject, Claims.Name, Claims.PreferredUsername, Claims.UpdatedAt, Claims.Picture, Claims.Email, Claims.EmailVerified, Claims.Role,
                    Claims.AuthenticationTime, Claims.AuthenticationMethodReference, Claims.AuthenticationContextReference);

                server.SetAccessTokenLifetime(lifetimes.AccessTokenLifetime)
                    .SetIdentityTokenLifetime(lifetimes.IdentityTokenLifetime)
                    .SetRefreshTokenLifetime(lifetimes.RefreshTokenLifetime)
                    .SetAuthorizationCodeLifetime(lifetimes.AuthorizationCodeLifetime)
                    .Configure(o => o.RequestTokenLifetime = lifetimes.PushedRequestLifetime);
                server.SetRefreshTokenReuseLeeway(lifetimes.RefreshTokenReuseLeeway == TimeSpan.Zero ? null : lifetimes.RefreshTokenReuseLeeway);

                // The RSA key comes first: OpenIddict signs identity tokens with the first key (RS256, OIDC's default).
                if (files is not null)
                {
                    server.AddSigningKey(files.Rsa);
                    if (files.Ecdsa is not null)
                    {
                        server.AddSigningKey(files.Ecdsa);
                    }
                }

                server.AddEncryptionKey(encryption);

                // Access tokens are plain signed JWTs so any API can validate them from the JWKS.
                server.DisableAccessTokenEncryption();

                server.AddEventHandler(AccessTokenSigningHandler.Descriptor);
                server.AddEventHandler(DiscoverySigningAlgorithmsHandler.Descriptor);
                server.AddEventHandler(DiscoveryAuthenticationContextHandler.Descriptor);
                server.AddEventHandler(DiscoveryPublicClientsHandler.Descriptor);
                server.AddEventHandler(ParameterRules<OpenIddictServerEvents.ValidateAuthorizationRequestContext>.Descriptor);
                server.AddEventHandler(ParameterRules<OpenIddictServerEvents.ValidatePushedAuthorizationRequestContext>.Descriptor);
                server.AddEventHandler(ParameterRules<OpenIddictServerEvents.ValidateTokenRequestContext>.Descriptor);
                server.AddEventHandler(ParameterRules<OpenIddictServerEvents.ValidateIntrospectionRequestContext>.Descriptor);
                server.AddEventHandler(ParameterRules<OpenIddictServerEvents.ValidateRevocationRequestContext>.Descriptor);
                server.AddEventHandler(ParameterRules<OpenIddictServerEvents.ValidateEndSessionRequestContext>.Descriptor);
                server.AddEventHandler(ParameterRules<OpenIddictServerEvents.ValidateUserInfoRequestContext>.Descriptor);
                server.AddEventHandler(ResourceRules<OpenIddictServerEvents.ValidateAuthorizationRequestContext>.Syntax);
                server.AddEventHandler(ResourceRules<OpenIddictServerEvents.ValidatePushedAuthorizationRequestContext>.Syntax);
                server.AddEventHandler(ResourceRules<OpenIddictServerEvents.ValidateTokenRequestContext>.Syntax);
                server.AddEventHandler(ResourceRules<OpenIddictServerEvents.ValidateAuthorizationRequestContext>.Permissions(
                    OpenIddictServerHandlers.Authentication.ValidateResourcePermissions.Descriptor.Order));
                server.AddEventHandler(ResourceRules<OpenIddictServerEvents.ValidatePushedAuthorizationRequestContext>.Permissions(
                    OpenIddictServerHandlers.Authentication.ValidatePushedResourcePermissions.Descriptor.Order));
                server.AddEventHandler(ResourceRules<OpenIddictServerEvents.ValidateTokenRequestContext>.Permissions(Math.Min(
                    OpenIddictServerHandlers.Exchange.ValidateResourcePermissions.Descriptor.Order,
                    OpenIddictServerHandlers.Exchange.ValidateAudiencePermissions.Descriptor.Order)));
                server.AddEventHandler(TokenExchangeRules.RequestDescriptor);
                server.AddEventHandler(TokenExchangeRules.SubjectTokenDescriptor);
                server.AddEventHandler(DevicePolling.PollDescriptor);
                server.AddEventHandler(DevicePolling.ResponseDescriptor);
                server.AddEventHandler(TokenRowsHandler.Descriptor);
                server.RemoveEventHandler(FormPostResponse.Replaced);
                server.AddEventHandler(FormPostResponse.Descriptor);
                server.AddEventHandler(RefreshTokenRevocation.Descriptor);
                server.AddEventHandler(MachineScopePolicy.Descriptor);
                server.AddEventHandler(LockedAccountTokens.Descriptor);
                server.AddEventHandler(ClientAssertionReplay.Descriptor);
                server.AddEventHandler(ClientAuthenticationErrors<OpenIddictServerEvents.ApplyTokenResponseContext>.Descriptor);
                server.AddEventHandler(ClientAuthenticationErrors<OpenIddictServerEvents.ApplyIntrospectionResponseContext>.Descriptor);
                server.AddEventHandler(ClientAuthenticationErrors<OpenIddictServerEvents.ApplyRevocationResponseContext>.Descriptor);

                // OpenIddict marks token and revocation answers no-store, not introspection's, which describe a token.
                server.AddEventHandler(OpenIddictServerAspNetCoreHandlers.AttachCacheControlHeader<OpenIddictServerEvents.ApplyIntrospectionResponseContext>.Descriptor);
                server.AddEventHandler(Telemetry.TokenResponseMetricsHandler.Descriptor);

                // Codes and refresh tokens are read only by this server: ASP.NET Core Data Protection
                // (AES + HMAC, keys in the database) instead of RSA-encrypted JWTs. Access tokens stay JWTs.
                server.UseDataProtection().PreferDefaultAccessTokenFormat();

                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableErrorPassthrough();
                if (devices)
                {
                    aspNetCore.EnableEndUserVerificationEndpointPassthrough();
                }

                if (!options.RequireHttps)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddOidcFastPaths(options.FastPaths);

        return services;
    }
}

internal sealed record SigningKeys(RsaSecurityKey Rsa, ECDsaSecurityKey? Ecdsa);
