using IdentityServer.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Pages.Connect;

/// <summary>
/// RP-initiated logout. OpenIddict has validated id_token_hint and post_logout_redirect_uri. When the hint
/// names the person signed in here, they are signed out at once; otherwise they are asked first, so a
/// third-party link cannot sign anyone out.
/// </summary>
[IgnoreAntiforgeryToken]
internal sealed class EndSessionModel(SignInManager<ApplicationUser> signIn, UserManager<ApplicationUser> users, IAntiforgery antiforgery) : PageModel
{
    internal const string ConfirmField = "confirm";

    public string? Error { get; private set; }

    public string? ErrorDescription { get; private set; }

    public IReadOnlyList<KeyValuePair<string, string>> RequestParameters { get; private set; } = [];

    public Task<IActionResult> OnGetAsync() => HandleAsync();

    public Task<IActionResult> OnPostAsync() => HandleAsync();

    private async Task<IActionResult> HandleAsync()
    {
        if (HttpContext.GetOpenIddictServerRequest() is null)
        {
            return ShowError(Errors.InvalidRequest, "This address only accepts OpenID Connect logout requests.");
        }

        if (HttpContext.GetOpenIddictServerResponse() is { Error: not null } failure)
        {
            return ShowError(failure.Error, failure.ErrorDescription);
        }

        var cookie = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!cookie.Succeeded)
        {
            return SignOut(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        var hint = await HttpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var tied = hint.Principal?.GetClaim(Claims.Subject) is { } subject && subject == users.GetUserId(cookie.Principal);
        var confirmed = Request.HasFormContentType && Request.Form.ContainsKey(ConfirmField);
        if (confirmed && !await antiforgery.IsRequestValidAsync(HttpContext))
        {
            return ShowError(Errors.InvalidRequest, "The sign-out form has expired or was not sent by this site.");
        }

        if (tied || confirmed)
        {
            await signIn.SignOutAsync();
            return SignOut(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        RequestParameters = (Request.HasFormContentType ? (IEnumerable<KeyValuePair<string, StringValues>>)Request.Form : Request.Query)
            .Where(p => p.Key is not (ConfirmField or "__RequestVerificationToken"))
            .SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v ?? ""))).ToList();
        return Page();
    }

    private PageResult ShowError(string? error, string? description)
    {
        Error = error ?? Errors.InvalidRequest;
        ErrorDescription = description;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
