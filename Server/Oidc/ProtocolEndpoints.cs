using System.Globalization;
using System.Security.Claims;
using IdentityServer.Data;
using IdentityServer.Oidc.Storage;
using IdentityServer.Sessions;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Oidc;

/// <summary>The token and userinfo endpoints. OpenIddict has validated the request before these run.</summary>
internal static class ProtocolEndpoints
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static IEndpointRouteBuilder MapProtocolEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("connect/token", ExchangeAsync).DisableAntiforgery();
        app.MapMethods("connect/userinfo", [HttpMethods.Get, HttpMethods.Post], UserInfoAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<Results<SignInHttpResult, ForbidHttpResult, BadRequest>> ExchangeAsync(
        HttpContext context, TokenPrincipalFactory principals)
    {
        var request = context.GetOpenIddictServerRequest();
        if (request is null)
        {
            return TypedResults.BadRequest();
        }

        if (request.IsClientCredentialsGrantType())
        {
            var principal = await principals.CreateForClientAsync(request.ClientId!, request.GetScopes(), request.GetResources(), context.RequestAborted);
            return TypedResults.SignIn(principal, authenticationScheme: Scheme);
        }

        // authorization_code, refresh_token, device_code or token exchange: OpenIddict has validated the code, token
        // or subject token; the person behind it must still exist and still be allowed to sign in before anything
        // new is issued.
        var (result, user) = await AuthenticatedUserAsync(context);
        if (await RefusalAsync(context, result.Principal!, user, checkStamp: !request.IsTokenExchangeGrantType()) is { } refusal)
        {
            return refusal;
        }

        var authTime = result.Principal!.GetClaim(Claims.AuthenticationTime) is { } t && long.TryParse(t, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        if (request.IsTokenExchangeGrantType())
        {
            return await TokenExchange.IssueAsync(context, request, result.Principal!, user!, authTime, principals);
        }

        var methods = AuthenticationMethods.Parse(result.Principal!.GetClaim(TokenPrincipalFactory.MethodsClaim));

        // RFC 8707: the token request may name some of the resources granted on the authorization request, never others.
        var granted = result.Principal!.GetClaims(TokenPrincipalFactory.GrantedResourceClaim);
        var asked = request.GetResources();
        if (asked.FirstOrDefault(r => !granted.Contains(r)) is { } ungranted)
        {
            return Forbid(Errors.InvalidTarget, granted.IsEmpty
                ? $"The resource '{ungranted}' was not asked for on the authorization request; a token can only be narrowed to resources granted there."
                : $"The resource '{ungranted}' was not granted by the authorization; ask for some of: {string.Join(' ', granted)}.");
        }

        var sid = result.Principal!.GetClaim(TokenPrincipalFactory.SessionIdClaim);
        var refreshed = await principals.CreateForUserAsync(user!, result.Principal!.GetScopes(), new SessionAuthentication(authTime, methods, null), sid, granted, asked,
            context.RequestAborted);
        refreshed.SetAuthorizationId(result.Principal!.GetAuthorizationId());
        return TypedResults.SignIn(refreshed, authenticationScheme: Scheme);
    }

    /// <summary>Why nothing may be issued for the person behind a validated grant, if anything.</summary>
    private static async Task<ForbidHttpResult?> RefusalAsync(HttpContext context, ClaimsPrincipal grant, ApplicationUser? user, bool checkStamp)
    {
        // Identity's managers are resolved here, not as parameters: a machine token never needs them.
        var users = context.RequestServices.GetRequiredService<UserManager<ApplicationUser>>();
        var signIn = context.RequestServices.GetRequiredService<SignInManager<ApplicationUser>>();
        if (user is null)
        {
            return Forbid(Errors.InvalidGrant, "The account this grant was issued for no longer exists.");
        }

        if (!await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user))
        {
            return Forbid(Errors.InvalidGrant, "The account this grant was issued for is not allowed to sign in.");
        }

        if (checkStamp && grant.GetClaim(TokenPrincipalFactory.StampClaim) is var stamp && stamp != SessionIds.StampHash(user.SecurityStamp)
            && !await context.RequestServices.GetRequiredService<SessionManager>().IsCarriedUnderAsync(
                grant.GetAuthorizationId(), SessionIds.StampHash(user.SecurityStamp), context.RequestAborted))
        {
            return Forbid(Errors.InvalidGrant, "The account's password or sign-in methods changed after this grant was made. Sign in again.");
        }

        return null;
    }

    private static async Task<Results<Ok<Dictionary<string, object>>, ChallengeHttpResult>> UserInfoAsync(
        HttpContext context, TokenPrincipalFactory principals)
    {
        var (result, user) = await AuthenticatedUserAsync(context);
        if (!LockedAccountTokens.CanUseTokens(user, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()))
        {
            return TypedResults.Challenge(ErrorProperties(Errors.InvalidToken, "The account this token was issued for is locked or no longer exists."), [Scheme]);
        }

        var body = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var group in (await principals.UserClaimsAsync(user, result.Principal!.GetScopes())).GroupBy(c => c.Type))
        {
            body[group.Key] = group.Key switch
            {
                Claims.Role => group.Select(c => c.Value).ToArray(),
                Claims.UpdatedAt => long.Parse(group.First().Value, CultureInfo.InvariantCulture),
                Claims.EmailVerified => group.First().Value == "true",
                _ => group.First().Value,
            };
        }

        return TypedResults.Ok(body);
    }

    /// <summary>The principal OpenIddict validated for this request, and the user it was issued for (null when gone).</summary>
    private static async Task<(AuthenticateResult Result, ApplicationUser? User)> AuthenticatedUserAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(Scheme);
        if (result.Principal?.GetClaim(Claims.Subject) is not { } subject)
        {
            return (result, null);
        }

        var queries = context.RequestServices.GetRequiredService<CompiledQueries>();
        var db = context.RequestServices.GetRequiredService<ApplicationDbContext>();
        return (result, await queries.UserById(db, subject, context.RequestAborted));
    }

    internal static ForbidHttpResult Forbid(string error, string description) =>
        TypedResults.Forbid(ErrorProperties(error, description), [Scheme]);

    private static AuthenticationProperties ErrorProperties(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });
}
