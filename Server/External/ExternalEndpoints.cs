using IdentityServer.Accounts;
using IdentityServer.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Client.AspNetCore;
using SignInResult = Microsoft.AspNetCore.Identity.SignInResult;

namespace IdentityServer.External;

/// <summary>
/// The callback (callback/login/{provider}): OpenIddict's client has checked state, nonce and PKCE and
/// redeemed the code; this decides which local account signs in. The session is an ordinary server-side
/// one, and apps get this server's tokens with the local subject.
/// </summary>
internal static class ExternalEndpoints
{
    public const string LinkItem = "link_user";

    public static IEndpointRouteBuilder MapExternalSignIn(this IEndpointRouteBuilder app)
    {
        app.MapMethods("callback/login/{provider}", [HttpMethods.Get, HttpMethods.Post], CallbackAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> CallbackAsync(string provider, HttpContext context, ExternalAccounts accounts,
        SignInManager<ApplicationUser> signIn, UserManager<ApplicationUser> users, IReadOnlyList<ExternalProvider> providers)
    {
        if (!providers.Any(p => p.Name == provider))
        {
            return Results.NotFound();
        }

        // OpenIddict refused to extract the request (a POST whose body is not a form): authenticating it
        // anyway throws a NullReferenceException inside OpenIddict's client (found by the fuzz test).
        if (context.GetOpenIddictClientRequest() is null)
        {
            return Error(provider, context.GetOpenIddictClientResponse()?.Error ?? "the sign-in could not be completed");
        }

        var result = await context.AuthenticateAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
        var identity = result.Succeeded ? ExternalIdentity.From(result.Principal) : null;
        if (identity is null)
        {
            return Error(provider, context.GetOpenIddictClientResponse()?.Error ?? "failed");
        }

        if (provider == "github")
        {
            // GitHub's profile email carries no verification: only the verified primary address counts.
            var verified = await context.RequestServices.GetRequiredService<GitHubEmails>()
                .VerifiedPrimaryAsync(result.Properties?.GetTokenValue(OpenIddictClientAspNetCoreConstants.Tokens.BackchannelAccessToken), context.RequestAborted);
            identity = identity with { Email = verified ?? identity.Email, EmailVerified = verified is not null };
        }

        var returnUrl = result.Properties?.RedirectUri is { } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";

        // Linking from the account page: the person is already signed in here.
        if (result.Properties?.Items.TryGetValue(LinkItem, out var linkUser) == true && linkUser is not null)
        {
            var current = await users.GetUserAsync((await context.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Principal ?? new());
            if (current is null || current.Id != linkUser || !await RecentSignIn.IsRecentAsync(context))
            {
                return Error(provider, ExternalErrors.Relink);
            }

            return await accounts.LinkAsync(current, identity)
                ? Results.LocalRedirect("/Account/Manage/Logins?linked=" + Uri.EscapeDataString(identity.Provider))
                : Error(provider, ExternalErrors.LinkedElsewhere);
        }

        var (outcome, user) = await accounts.ResolveAsync(identity);
        switch (outcome)
        {
            case ExternalOutcome.SignedIn or ExternalOutcome.Created:
                return SignedIn(provider, returnUrl, await signIn.ExternalLoginSignInAsync(identity.Provider, identity.Subject, isPersistent: false, bypassTwoFactor: false));
            case ExternalOutcome.NeedsPasswordToLink:
                PendingLink.Set(context, identity);
                return Results.LocalRedirect("/Account/ExternalLink?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
            default:
                return Error(provider, ExternalErrors.NotCreated);
        }
    }

    /// <summary>The same sign-in decision as a password: lockout, confirmed email, then the second factor.</summary>
    private static IResult SignedIn(string provider, string returnUrl, SignInResult result) => result switch
    {
        { Succeeded: true } => Results.LocalRedirect(returnUrl),
        { RequiresTwoFactor: true } => Results.LocalRedirect("/Account/LoginWith2fa?ReturnUrl=" + Uri.EscapeDataString(returnUrl)),
        { IsLockedOut: true } => Error(provider, ExternalErrors.Locked),
        { IsNotAllowed: true } => Error(provider, ExternalErrors.NotAllowed),
        _ => Error(provider, ExternalErrors.NotCreated),
    };

    private static IResult Error(string provider, string reason) =>
        Results.LocalRedirect($"/Account/ExternalError?provider={Uri.EscapeDataString(provider)}&reason={Uri.EscapeDataString(reason)}");
}
