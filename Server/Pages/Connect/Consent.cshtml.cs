using IdentityServer.Data;
using IdentityServer.Oidc;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Primitives;

namespace IdentityServer.Pages.Connect;

/// <summary>
/// Takes the consent form's answer (anti-forgery checked by the framework, as on every form) and sends the
/// browser back to the authorization request with the answer as a marker that names this user and this exact
/// request; /connect/authorize decides again from there. It issues nothing itself.
/// </summary>
internal sealed class ConsentModel(UserManager<ApplicationUser> users, RequestMarkers markers) : PageModel
{
    /// <summary>Only the consent form's answer comes here.</summary>
    public IActionResult OnGet()
    {
        Response.Headers.Allow = "POST";
        return StatusCode(StatusCodes.Status405MethodNotAllowed);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // The anti-forgery token may come in a header, so a body that is no form gets this far (found by the fuzz test).
        if (!Request.HasFormContentType)
        {
            return BadRequest("The consent form must be posted as a form.");
        }

        var answer = Request.Form[RequestMarkers.Consent].ToString();
        if (answer is not (AuthorizationDecision.Accept or AuthorizationDecision.Deny))
        {
            return BadRequest("The consent form must answer Allow or Deny.");
        }

        var parameters = Request.Form.Where(p => p.Key is not (RequestMarkers.Consent or "__RequestVerificationToken")).ToList();
        if (await users.GetUserAsync(User) is { } user)
        {
            var marker = markers.Create(RequestMarkers.Consent, parameters, $"{answer}|{user.Id}");
            parameters.Add(KeyValuePair.Create(RequestMarkers.Consent, new StringValues(marker)));
        }

        // Signed out meanwhile: the authorization endpoint sends the person to sign in, then asks again.
        return LocalRedirect("/connect/authorize" + QueryString.Create(parameters));
    }
}
