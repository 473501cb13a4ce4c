using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Oidc.Storage;

/// <summary>
/// The short cuts that make code, refresh and machine-token requests cheaper, in one place and behind one
/// switch (<c>IdentityServer:FastPaths</c>, on by default). Each leans on how OpenIddict 7.8 behaves, not
/// only on its public contract; with the switch off OpenIddict's own stores and handlers run, and CI runs
/// the protocol tests that way too (<c>.ci/run</c>), so an upgrade that breaks an assumption fails a test.
/// What each one relies on:
/// <list type="number">
/// <item><b>ApplicationStore</b> (with <see cref="ApplicationSnapshots"/>, <see cref="RequestApplications"/>):
/// hands OpenIddict an untracked copy of the client row. Relies on OpenIddict never saving an application
/// during a token or authorization request, and on <c>OpenIddictEntityFrameworkCoreApplication</c> having
/// the columns <see cref="ApplicationSnapshots.Copy"/> writes out (a test compares them).</item>
/// <item><b>TokenStore</b>: <c>FindByIdAsync</c> and <c>FindByReferenceIdAsync</c> through compiled queries
/// that repeat OpenIddict's includes (application, authorization) and tracking; <c>UpdateAsync</c> of a
/// tracked token saves only the changed columns, renewing <c>ConcurrencyToken</c> and turning EF Core's
/// concurrency failure into <c>OpenIddictExceptions.ConcurrencyException</c> as OpenIddict's store does.</item>
/// <item><b>TokenWriteBatch</b>: its <c>Begin</c> handler on <c>ProcessSignInContext</c> and its
/// <c>Flush</c> handler on <c>ApplyTokenResponseContext</c> both run at order <c>int.MinValue + 100</c>,
/// before every built-in handler of those events — so before the first token is generated, and before
/// OpenIddict.Server.AspNetCore writes the response. Between them <c>TokenStore.CreateAsync</c> only adds
/// rows (the mutable <c>Active</c> flag says so) and <c>Flush</c> saves them in one transaction, or drops
/// them when the response is an error. Relies on the token endpoint raising each event once per request,
/// and on the redemption of the presented code or refresh token going through <c>UpdateAsync</c>
/// (saved at once, never batched).</item>
/// <item><b>ReferenceTokenLookup</b>: removes <c>OpenIddictServerHandlers.Protection.ValidateReferenceTokenIdentifier</c>
/// (<c>RemoveEventHandler</c>) and runs it, at its order, only for tokens short enough to be a reference
/// identifier. Relies on codes being OpenIddict's only reference identifiers (43 characters) and refresh
/// tokens being Data Protection payloads far longer than 128 characters.</item>
/// </list>
/// Which tokens get a row at all (<c>TokenRowsHandler</c>: none for machine access tokens and identity
/// tokens) is not a short cut but documented behaviour, through OpenIddict's public
/// <c>GenerateTokenContext.CreateTokenEntry</c>; it stays on either way. The index-friendly prune lives in the same two stores, so it is off with them (OpenIddict's own prune
/// then runs: same rule, slower on large tables).
/// </summary>
internal static class OidcFastPaths
{
    public static OpenIddictBuilder AddOidcFastPaths(this OpenIddictBuilder builder, bool enabled)
    {
        if (!enabled)
        {
            return builder;
        }

        builder.Services.AddScoped<RequestApplications>();
        builder.Services.AddScoped<TokenWriteBatch>();
        return builder
            .AddCore(core =>
            {
                core.ReplaceApplicationStore<OpenIddictEntityFrameworkCoreApplication, ApplicationStore>(ServiceLifetime.Scoped);
                core.ReplaceTokenStore<OpenIddictEntityFrameworkCoreToken, TokenStore>(ServiceLifetime.Scoped);
                core.ReplaceAuthorizationStore<OpenIddictEntityFrameworkCoreAuthorization, AuthorizationStore>(ServiceLifetime.Scoped);
            })
            .AddServer(server =>
            {
                server.AddEventHandler(TokenWriteBatch.Begin);
                server.AddEventHandler(TokenWriteBatch.Flush);
                server.RemoveEventHandler(ReferenceTokenLookup.Replaced);
                server.AddEventHandler(ReferenceTokenLookup.Descriptor);
            });
    }
}
