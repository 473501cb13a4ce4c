using System.Security.Claims;
using Microsoft.Extensions.Primitives;

namespace IdentityServer.Oidc;

/// <summary>What the authorization endpoint answers a request with, as <see cref="AuthorizationDecision"/> decides it.</summary>
internal abstract record AuthorizationOutcome
{
    /// <summary>An error page on this server: the client or its redirect URI cannot be trusted with the answer.</summary>
    internal sealed record ShowError(string Error, string? Description) : AuthorizationOutcome;

    /// <summary>An error sent back to the client's validated redirect URI.</summary>
    internal sealed record RedirectToClient(string Location) : AuthorizationOutcome;

    /// <summary>The person must sign in (again) first; the local address carries the way back.</summary>
    internal sealed record SignInFirst(string LoginAddress) : AuthorizationOutcome;

    /// <summary>A protocol error OpenIddict returns to the client (login_required, consent_required, access_denied).</summary>
    internal sealed record Refuse(string Error, string Description) : AuthorizationOutcome;

    /// <summary>The consent page, for this client and these scopes; the form carries the request's parameters.</summary>
    internal sealed record AskConsent(string ClientName, ClientOrigin? Origin, IReadOnlyList<ConsentScope> Scopes, IReadOnlyList<KeyValuePair<string, StringValues>> Parameters) : AuthorizationOutcome;

    /// <summary>A code for this principal.</summary>
    internal sealed record Issue(ClaimsPrincipal Principal) : AuthorizationOutcome;
}
