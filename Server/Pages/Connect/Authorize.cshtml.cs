using IdentityServer.Oidc;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Primitives;
using OpenIddict.Server.AspNetCore;

namespace IdentityServer.Pages.Connect;

/// <summary>
/// The authorization endpoint's page: renders what <see cref="AuthorizationDecision"/> decides — an error,
/// a redirect to sign in, the protocol answer, or the consent form. Client apps send authorization requests
/// by GET or POST from their own sites, so there is no anti-forgery token to check here; the consent form
/// posts to /connect/consent, which checks it.
/// </summary>
[IgnoreAntiforgeryToken]
internal sealed class AuthorizeModel(AuthorizationDecision decision) : PageModel
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public string ClientName { get; private set; } = "";

    /// <summary>Where a self-described client comes from; null for configured clients.</summary>
    public ClientOrigin? Origin { get; private set; }

    public IReadOnlyList<ConsentScope> RequestedScopes { get; private set; } = [];

    public IReadOnlyList<KeyValuePair<string, StringValues>> RequestParameters { get; private set; } = [];

    public string? Error { get; private set; }

    public string? ErrorDescription { get; private set; }

    public Task<IActionResult> OnGetAsync() => RespondAsync();

    public Task<IActionResult> OnPostAsync() => RespondAsync();

    private async Task<IActionResult> RespondAsync() => await decision.DecideAsync(HttpContext) switch
    {
        AuthorizationOutcome.ShowError e => ShowError(e.Error, e.Description),
        AuthorizationOutcome.RedirectToClient r => Redirect(r.Location),
        AuthorizationOutcome.SignInFirst s => LocalRedirect(s.LoginAddress),
        AuthorizationOutcome.Refuse r => Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = r.Error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = r.Description,
        }), Scheme),
        AuthorizationOutcome.AskConsent c => AskConsent(c),
        AuthorizationOutcome.Issue i => SignIn(i.Principal, Scheme),
        var other => throw new InvalidOperationException($"Unhandled authorization outcome {other.GetType().Name}."),
    };

    private PageResult AskConsent(AuthorizationOutcome.AskConsent consent)
    {
        ClientName = consent.ClientName;
        Origin = consent.Origin;
        RequestedScopes = consent.Scopes;
        RequestParameters = consent.Parameters;
        return Page();
    }

    private PageResult ShowError(string error, string? description)
    {
        Error = error;
        ErrorDescription = description;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
