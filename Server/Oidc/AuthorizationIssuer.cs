using System.Collections.Immutable;
using System.Security.Claims;
using IdentityServer.Data;
using IdentityServer.Sessions;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Oidc;

/// <summary>
/// Issues an authorization. The permanent authorization records the consent; the code and its tokens hang
/// off an ad-hoc authorization tied to the browser session, so ending the session revokes them.
/// </summary>
internal sealed class AuthorizationIssuer(IOpenIddictAuthorizationManager authorizations, TokenPrincipalFactory principals, SessionManager sessions)
{
    /// <param name="recordConsent">True when the person just consented (a new permanent authorization, even if one exists).</param>
    /// <param name="resources">The resources (RFC 8707) the request named, checked against the client's permissions.</param>
    /// <param name="sessionId">The stored id of the browser session; null when the tokens go elsewhere (device flow).</param>
    /// <param name="sid">That session's public id, for the identity tokens.</param>
    public async Task<ClaimsPrincipal> IssueAsync(ApplicationUser user, string applicationId, ImmutableArray<string> scopes, ImmutableArray<string> resources,
        SessionAuthentication authentication, bool recordConsent, string? sessionId, string? sid, CancellationToken ct)
    {
        var principal = await principals.CreateForUserAsync(user, scopes, authentication, sessionId is null ? null : sid, resources, [], ct);
        if (recordConsent)
        {
            await authorizations.CreateAsync(principal, user.Id, applicationId, AuthorizationTypes.Permanent, scopes, ct);
        }

        // A session asking again for the same app and scopes (silent renewals, prompt=none) reuses its grant
        // instead of adding a row per request.
        var grantId = sessionId is null ? null : await ReusableGrantAsync(sessionId, applicationId, scopes, ct);
        if (grantId is null)
        {
            var grant = await authorizations.CreateAsync(principal, user.Id, applicationId, AuthorizationTypes.AdHoc, scopes, ct);
            grantId = (await authorizations.GetIdAsync(grant, ct))!;
            if (sessionId is not null)
            {
                await sessions.AddGrantAsync(sessionId, grantId, ct);
            }
        }

        principal.SetAuthorizationId(grantId);
        return principal;
    }

    /// <summary>The user's remembered consent to exactly these scopes for this app, if any.</summary>
    public async Task<bool> HasConsentAsync(ApplicationUser user, string applicationId, ImmutableArray<string> scopes, CancellationToken ct)
    {
        await foreach (var _ in authorizations.FindAsync(user.Id, applicationId, Statuses.Valid, AuthorizationTypes.Permanent, scopes, ct))
        {
            return true;
        }

        return false;
    }

    private async Task<string?> ReusableGrantAsync(string sessionId, string applicationId, ImmutableArray<string> scopes, CancellationToken ct)
    {
        foreach (var id in await sessions.ValidGrantsAsync(sessionId, applicationId, ct))
        {
            if (await authorizations.FindByIdAsync(id, ct) is { } grant
                && (await authorizations.GetScopesAsync(grant, ct)).ToHashSet(StringComparer.Ordinal).SetEquals(scopes))
            {
                return id;
            }
        }

        return null;
    }
}
