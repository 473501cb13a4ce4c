using System.Collections.Immutable;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityServer.Data;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Oidc;

/// <summary>
/// The one place that decides what a token says: which claims a user or client principal carries,
/// which scope releases them, and whether they go into the access token, the identity token, or both.
/// The userinfo endpoint reads the same table.
/// </summary>
internal sealed class TokenPrincipalFactory(IServiceProvider services, IMemoryCache cache)
{
    /// <summary>The hash of the user's security stamp when the grant was made.</summary>
    public const string StampClaim = "idsrv_stamp";

    /// <summary>
    /// The resources (RFC 8707) the person granted on the authorization request, kept only inside codes and
    /// refresh tokens: a token request may narrow to some of them, never name others.
    /// </summary>
    public const string GrantedResourceClaim = "idsrv_rsrc";

    /// <summary>RFC 8693 §4.1's actor claim (OpenIddict's <c>Claims.Actor</c> is another, "actor").</summary>
    public const string ActorClaim = "act";

    /// <summary>The session's public id in identity tokens (OpenID Connect Back-Channel Logout 1.0 §2.1), never the cookie's.</summary>
    public const string SessionIdClaim = "sid";

    // Resolved on first use: a machine token needs neither, and building them is a measurable part of its cost.
    private UserManager<ApplicationUser> Users => services.GetRequiredService<UserManager<ApplicationUser>>();

    private IOpenIddictScopeManager ScopeManager => services.GetRequiredService<IOpenIddictScopeManager>();

    /// <summary>How the person authenticated (space-separated amr values), kept inside codes and refresh tokens for the token endpoint.</summary>
    public const string MethodsClaim = "idsrv_amr";

    /// <param name="sid">The public id of the browser session the grant was made in; null when none (device flow, token exchange).</param>
    /// <param name="granted">The resources granted on the authorization request (none: the scopes decide the audience).</param>
    /// <param name="audiences">The resources this token is for: all of <paramref name="granted"/>, or the subset the token request named.</param>
    public async Task<ClaimsPrincipal> CreateForUserAsync(ApplicationUser user, ImmutableArray<string> scopes, SessionAuthentication authentication, string? sid,
        ImmutableArray<string> granted, ImmutableArray<string> audiences, CancellationToken cancellationToken)
    {
        var identity = NewIdentity();
        foreach (var (type, value) in await UserClaimsAsync(user, scopes))
        {
            identity.AddClaim(new Claim(type, value, ValueTypeOf(type)));
        }

        // Kept only inside codes and refresh tokens (no destination): the token endpoint refuses them once the
        // user's security stamp has changed (password, 2FA, email, linked logins).
        identity.AddClaim(new Claim(StampClaim, Sessions.SessionIds.StampHash(user.SecurityStamp)));
        if (authentication.At is { } at)
        {
            identity.AddClaim(new Claim(Claims.AuthenticationTime, at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        }

        if (authentication.Methods.Count > 0)
        {
            // amr is a JSON array even with one value (OIDC Core §2); a plain claim would be written as a string.
            identity.AddClaim(new Claim(MethodsClaim, string.Join(' ', authentication.Methods)));
            identity.AddClaim(new Claim(Claims.AuthenticationMethodReference,
                JsonSerializer.Serialize(authentication.Methods.ToArray(), MethodsJson.Default.StringArray), JsonClaimValueTypes.JsonArray));
            identity.AddClaim(new Claim(Claims.AuthenticationContextReference, AuthenticationMethods.ContextOf(authentication.Methods)));
        }

        if (sid is { Length: > 0 })
        {
            identity.AddClaim(new Claim(SessionIdClaim, sid));
        }

        foreach (var resource in granted)
        {
            identity.AddClaim(new Claim(GrantedResourceClaim, resource));
        }

        return await FinishAsync(identity, scopes, audiences.IsDefaultOrEmpty ? granted : audiences, cancellationToken);
    }

    /// <param name="resources">The resources the client named (already checked against its permissions); none: the scopes decide.</param>
    public Task<ClaimsPrincipal> CreateForClientAsync(string clientId, ImmutableArray<string> scopes, ImmutableArray<string> resources, CancellationToken cancellationToken)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, clientId);
        return FinishAsync(identity, scopes, resources, cancellationToken);
    }

    /// <summary>
    /// A token exchange (RFC 8693): the person's claims for <paramref name="audiences"/>, and, unless the client may
    /// impersonate, an <c>act</c> claim naming the client that acts, wrapping any actor the subject token named.
    /// </summary>
    public async Task<ClaimsPrincipal> CreateForExchangeAsync(ApplicationUser user, ImmutableArray<string> scopes, SessionAuthentication authentication,
        ImmutableArray<string> audiences, string? actingClientId, string? previousActor, CancellationToken cancellationToken)
    {
        var principal = await CreateForUserAsync(user, scopes, authentication, sid: null, [], audiences, cancellationToken);
        if (actingClientId is null && previousActor is not null && JsonNode.Parse(previousActor) is JsonObject earlier)
        {
            // An impersonating client adds no actor of its own, but does not erase the ones before it.
            principal.AddClaim(ActorClaim, earlier);
            principal.SetDestinations(claim => DestinationsOf(claim, scopes));
        }
        else if (actingClientId is not null)
        {
            var actor = new JsonObject { [Claims.Subject] = actingClientId };
            if (previousActor is not null && JsonNode.Parse(previousActor) is JsonObject previous)
            {
                actor[ActorClaim] = previous;
            }

            principal.AddClaim(ActorClaim, actor);
            principal.SetDestinations(claim => DestinationsOf(claim, scopes));
        }

        return principal;
    }

    /// <summary>The user's claims that the granted scopes release, as the userinfo endpoint returns them.</summary>
    public async Task<List<(string Type, string Value)>> UserClaimsAsync(ApplicationUser user, ImmutableArray<string> scopes)
    {
        var claims = new List<(string, string)> { (Claims.Subject, user.Id) };
        if (scopes.Contains(Scopes.Profile))
        {
            if (!string.IsNullOrEmpty(user.Name))
            {
                claims.Add((Claims.Name, user.Name));
            }

            claims.Add((Claims.PreferredUsername, user.UserName!));
            if (!string.IsNullOrEmpty(user.Picture))
            {
                claims.Add((Claims.Picture, user.Picture));
            }

            claims.Add((Claims.UpdatedAt, user.UpdatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        }

        if (scopes.Contains(Scopes.Email) && !string.IsNullOrEmpty(user.Email))
        {
            claims.Add((Claims.Email, user.Email));
            claims.Add((Claims.EmailVerified, user.EmailConfirmed ? "true" : "false"));
        }

        if (scopes.Contains(Scopes.Roles))
        {
            claims.AddRange((await Users.GetRolesAsync(user)).Select(role => (Claims.Role, role)));
        }

        return claims;
    }

    private async Task<ClaimsPrincipal> FinishAsync(ClaimsIdentity identity, ImmutableArray<string> scopes, ImmutableArray<string> resources, CancellationToken cancellationToken)
    {
        identity.SetScopes(scopes);

        // RFC 8707: a token asked for named resources is for exactly those; otherwise its scopes say whom it is for.
        identity.SetResources(resources.IsDefaultOrEmpty ? await ResourcesAsync(scopes, cancellationToken) : [.. resources]);
        identity.SetDestinations(claim => DestinationsOf(claim, scopes));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>
    /// The audiences of a set of scopes. Scopes come from configuration and change only at a restart, so the
    /// answer is kept for a short while instead of costing a query on every token request.
    /// </summary>
    private async Task<List<string>> ResourcesAsync(ImmutableArray<string> scopes, CancellationToken cancellationToken)
    {
        var key = "scope-resources:" + string.Join(' ', scopes.Order(StringComparer.Ordinal));
        if (cache.TryGetValue(key, out List<string>? known) && known is not null)
        {
            return known;
        }

        var resources = new List<string>();
        await foreach (var resource in ScopeManager.ListResourcesAsync(scopes, cancellationToken))
        {
            resources.Add(resource);
        }

        cache.Set(key, resources, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30), Size = 1 });
        return resources;
    }

    private static ClaimsIdentity NewIdentity() =>
        new(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);

    private static string ValueTypeOf(string type) => type switch
    {
        Claims.UpdatedAt => ClaimValueTypes.Integer64,
        Claims.EmailVerified => ClaimValueTypes.Boolean,
        _ => ClaimValueTypes.String,
    };

    private static IEnumerable<string> DestinationsOf(Claim claim, ImmutableArray<string> scopes) => claim.Type switch
    {
        Claims.Subject => [Destinations.AccessToken, Destinations.IdentityToken],
        // RFC 9068 §2.2.1: an API may judge how recently and how strongly the person authenticated.
        Claims.AuthenticationTime or Claims.AuthenticationMethodReference or Claims.AuthenticationContextReference => [Destinations.AccessToken, Destinations.IdentityToken],
        SessionIdClaim => [Destinations.IdentityToken],
        ActorClaim => [Destinations.AccessToken],
        Claims.Name or Claims.PreferredUsername or Claims.UpdatedAt or Claims.Picture when scopes.Contains(Scopes.Profile) => [Destinations.AccessToken, Destinations.IdentityToken],
        Claims.Email or Claims.EmailVerified when scopes.Contains(Scopes.Email) => [Destinations.AccessToken, Destinations.IdentityToken],
        Claims.Role when scopes.Contains(Scopes.Roles) => [Destinations.AccessToken, Destinations.IdentityToken],
        _ => [],
    };
}
