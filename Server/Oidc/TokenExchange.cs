using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using IdentityServer.Data;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Oidc;

/// <summary>
/// Token exchange (RFC 8693) for an API calling another API on a person's behalf. OpenIddict has checked the
/// subject token (signature, expiry, revocation, and through <see cref="TokenExchangeRules"/> that it was issued for
/// the exchanging client's own API), the client's right to the grant and to each named resource or audience; this
/// decides the rest: the new token is for exactly the named APIs, with no more scopes than the subject token, and it
/// says who acts (<c>act</c>) unless the client may impersonate.
/// </summary>
internal static class TokenExchange
{
    public static async Task<Results<SignInHttpResult, ForbidHttpResult, BadRequest>> IssueAsync(HttpContext context, OpenIddictRequest request,
        ClaimsPrincipal subject, ApplicationUser user, DateTimeOffset? authenticatedAt, TokenPrincipalFactory principals)
    {
        var targets = request.GetResources().Union(request.GetAudiences(), StringComparer.Ordinal).ToArray();
        var applications = context.RequestServices.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await applications.FindByClientIdAsync(request.ClientId!, context.RequestAborted)
            ?? throw new InvalidOperationException("OpenIddict authenticated a client that does not exist.");
        var settings = await applications.GetSettingsAsync(application, context.RequestAborted);

        // The new token may carry fewer scopes than the subject token, never more; it is an access token alone.
        var held = subject.GetScopes();
        var asked = request.GetScopes();
        if (asked.FirstOrDefault(s => !held.Contains(s)) is { } extra)
        {
            return ProtocolEndpoints.Forbid(Errors.InvalidScope, $"The scope '{extra}' was not granted to the subject token.");
        }

        var scopes = (asked.IsEmpty ? held : asked).Remove(Scopes.OfflineAccess);
        var impersonates = settings.TryGetValue(ClientSettings.AllowImpersonation, out var allowed) && allowed == "true";
        var authentication = new SessionAuthentication(authenticatedAt, MethodsOf(subject), null);
        var principal = await principals.CreateForExchangeAsync(user, scopes, authentication, [.. targets],
            impersonates ? null : request.ClientId, subject.GetClaim(TokenPrincipalFactory.ActorClaim), context.RequestAborted);

        // Ending the person's session revokes what was exchanged from it, too; and what was exchanged never outlives
        // the token it came from, so a chain of exchanges cannot renew access without a refresh token.
        principal.SetAuthorizationId(subject.GetAuthorizationId());
        if (subject.GetExpirationDate() is { } subjectExpires)
        {
            var usual = settings.TryGetValue(OpenIddictConstants.Settings.TokenLifetimes.AccessToken, out var own)
                && TimeSpan.TryParse(own, CultureInfo.InvariantCulture, out var clientLifetime)
                ? clientLifetime
                : context.RequestServices.GetRequiredService<IOptions<OpenIddictServerOptions>>().Value.AccessTokenLifetime ?? TimeSpan.FromMinutes(15);
            var left = subjectExpires - context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            principal.SetAccessTokenLifetime(left < usual ? left : usual);
        }
        return TypedResults.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The subject token's amr: OpenIddict may hand the JSON array back as one claim.</summary>
    private static string[] MethodsOf(ClaimsPrincipal subject)
    {
        var values = subject.GetClaims(Claims.AuthenticationMethodReference);
        return values is [var single] && single.StartsWith('[')
            ? JsonSerializer.Deserialize(single, MethodsJson.Default.StringArray) ?? []
            : [.. values];
    }
}
