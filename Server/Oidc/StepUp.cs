using System.Security.Claims;
using IdentityServer.Data;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace IdentityServer.Oidc;

/// <summary>
/// Step-up authentication: a request with <c>acr_values=mfa</c>, or any request of a client declared with
/// <c>RequireMfa</c>, needs a second factor checked within <c>Sessions:StepUpWindow</c>. A session without
/// one is sent to the code page (Identity's own check and lockout), or to TOTP enrolment when the person has
/// no second factor yet, and comes back to the same authorization request.
/// </summary>
internal sealed class StepUp(
    IOpenIddictApplicationManager applications,
    SignInManager<ApplicationUser> signIn,
    IOptions<SessionLifetimeOptions> options,
    TimeProvider time)
{
    /// <summary>The application setting that <c>RequireMfa</c> in configuration becomes.</summary>
    public const string RequireMfaSetting = "idsrv:require_mfa";

    /// <param name="request">The authorization request (its acr_values), or null for a device approval.</param>
    public async Task<bool> IsNeededAsync(OpenIddictRequest? request, object application, SessionAuthentication session, CancellationToken ct)
    {
        var wanted = (request is not null && request.GetAcrValues().Contains(AuthenticationMethods.MultiFactorContext))
            || ((await applications.GetSettingsAsync(application, ct)).TryGetValue(RequireMfaSetting, out var required) && required == "true");
        return wanted && !session.HasFreshSecondFactor(time.GetUtcNow(), options.Value.StepUpWindow);
    }

    /// <summary>Starts the second-factor step and answers the local page that takes it, carrying <paramref name="returnUrl"/>.</summary>
    public async Task<string> BeginAsync(ApplicationUser user, HttpContext context, string returnUrl)
    {
        var query = QueryString.Create("ReturnUrl", returnUrl).ToUriComponent();
        if (!await signIn.UserManager.GetTwoFactorEnabledAsync(user))
        {
            return "/Account/Manage/TwoFactor" + query;
        }

        // The signed-in person's first factor stands: Identity's second-factor pages take over as they do after a
        // password (same code check, same lockout), and success re-issues the session with mfa. This is the
        // principal Identity's own two-factor cookie holds; an external sign-in keeps its provider (amr ext).
        var identity = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Id));
        var cookie = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (cookie.Principal?.FindFirstValue(ClaimTypes.AuthenticationMethod) is { } provider && provider != AuthenticationMethods.Password)
        {
            identity.AddClaim(new Claim(ClaimTypes.AuthenticationMethod, provider));
        }

        await context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(identity));
        return "/Account/LoginWith2fa" + query;
    }
}
