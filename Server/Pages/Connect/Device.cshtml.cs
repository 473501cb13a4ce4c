using System.Collections.Immutable;
using IdentityServer.Data;
using IdentityServer.Oidc;
using IdentityServer.RateLimiting;
using IdentityServer.Sessions;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Pages.Connect;

/// <summary>
/// The device flow's verification page (RFC 8628 §3.3): a signed-in person types the code a TV or a CLI shows
/// (or follows verification_uri_complete), sees which app asks for what, and approves or denies. OpenIddict
/// checks the code; approving issues a grant that belongs to no browser session (the device keeps it).
/// </summary>
internal sealed class DeviceModel(
    UserManager<ApplicationUser> users,
    IOpenIddictApplicationManager applications,
    AuthorizationIssuer issuer,
    StepUp stepUp,
    ConsentScopes consentScopes,
    UserCodeThrottle throttle,
    IOptions<OpenIddictServerOptions> server) : PageModel
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;
    public const string DecisionField = "decision";

    public string? UserCode { get; private set; }

    public string? ClientName { get; private set; }

    public IReadOnlyList<ConsentScope> RequestedScopes { get; private set; } = [];

    public string? Error { get; private set; }

    public string? Result { get; private set; }

    /// <summary>The device flow is on only when a declared client may use it (Oidc/OidcSetup.cs).</summary>
    private bool DeviceFlowOffered => server.Value.EndUserVerificationEndpointUris.Count > 0;

    public async Task<IActionResult> OnGetAsync(string? result)
    {
        if (!DeviceFlowOffered)
        {
            return NotFound();
        }

        if (await users.GetUserAsync(User) is null)
        {
            return SignInFirst();
        }

        Result = result is "approved" or "denied" ? result : null;
        UserCode = Request.Query[Parameters.UserCode].ToString();
        if (UserCode.Length > 0 && !throttle.TryBegin(HttpContext, out var refusal))
        {
            return refusal;
        }

        var request = await VerificationRequestAsync();
        var found = request.Succeeded && request.Principal.GetClaim(Claims.ClientId) is not null;
        if (UserCode.Length > 0)
        {
            throttle.Settle(found);
        }

        if (found)
        {
            return await ShowRequestAsync(request.Principal!.GetClaim(Claims.ClientId)!, request.Principal!.GetScopes());
        }

        Error = UserCode.Length > 0 ? "That code is not valid, or it has expired. Check the code on your device and type it again." : null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!DeviceFlowOffered)
        {
            return NotFound();
        }

        if (await users.GetUserAsync(User) is not { } user)
        {
            return SignInFirst();
        }

        if (!throttle.TryBegin(HttpContext, out var refusal))
        {
            return refusal;
        }

        var request = await VerificationRequestAsync();
        throttle.Settle(request.Succeeded && request.Principal.GetClaim(Claims.ClientId) is not null);
        if (!request.Succeeded || request.Principal.GetClaim(Claims.ClientId) is not { } clientId
            || await applications.FindByClientIdAsync(clientId, HttpContext.RequestAborted) is not { } application)
        {
            Error = "That code is not valid, or it has expired. Check the code on your device and type it again.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (Request.Form[DecisionField] != AuthorizationDecision.Accept)
        {
            return Forbid(new AuthenticationProperties { RedirectUri = "/device?result=denied" }, Scheme);
        }

        var cookie = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var session = SessionAuthentication.From(cookie.Properties);
        if (await stepUp.IsNeededAsync(null, application, session, HttpContext.RequestAborted))
        {
            // A client declared with RequireMfa: the person proves a second factor, then approves again.
            return LocalRedirect(await stepUp.BeginAsync(user, HttpContext, "/device?user_code=" + Uri.EscapeDataString(Request.Form[Parameters.UserCode].ToString())));
        }

        var applicationId = (await applications.GetIdAsync(application, HttpContext.RequestAborted))!;
        var principal = await issuer.IssueAsync(user, applicationId, request.Principal.GetScopes(), [], session,
            recordConsent: false, sessionId: null, sid: null, HttpContext.RequestAborted);
        return SignIn(principal, new AuthenticationProperties { RedirectUri = "/device?result=approved" }, Scheme);
    }

    private async Task<IActionResult> ShowRequestAsync(string clientId, ImmutableArray<string> scopes)
    {
        var application = await applications.FindByClientIdAsync(clientId, HttpContext.RequestAborted);
        ClientName = application is null ? clientId : await applications.GetLocalizedDisplayNameAsync(application, HttpContext.RequestAborted) ?? clientId;
        RequestedScopes = await consentScopes.DescribeAsync(scopes, HttpContext.RequestAborted);
        return Page();
    }

    /// <summary>
    /// What OpenIddict made of the user code. It extracts a verification request from a GET or a POST only;
    /// asked to authenticate another (HEAD, say) it fails inside with a NullReferenceException (found by the fuzz test).
    /// </summary>
    private async Task<AuthenticateResult> VerificationRequestAsync() =>
        HttpContext.GetOpenIddictServerRequest() is null ? AuthenticateResult.NoResult() : await HttpContext.AuthenticateAsync(Scheme);

    private LocalRedirectResult SignInFirst() =>
        LocalRedirect("/Account/Login?ReturnUrl=" + Uri.EscapeDataString(Request.PathBase + Request.Path + Request.QueryString));
}
