using System.ComponentModel.DataAnnotations;
using IdentityServer.Accounts;
using IdentityServer.Passkeys;
using IdentityServer.RateLimiting;
using IdentityServer.Telemetry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace IdentityServer.Pages.Account;

/// <summary>
/// Passkey sign-in: <c>?handler=Options</c> starts a ceremony (its challenge kept in this browser's protected
/// cookie), the POST finishes it. The throttle counts failures per address and per the account the answer names.
/// </summary>
internal sealed class PasskeyModel(AccountSignInManager signIn, SignInThrottle throttle, ServerMetrics metrics, IOptions<PasskeyOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "No passkey answer was sent. Use the button to sign in with a passkey.")]
    [StringLength(PasskeyCredentialJson.MaximumLength, ErrorMessage = "That passkey answer is too long.")]
    public string Credential { get; set; } = "";

    public string? Message { get; private set; }

    public string? LocalReturnUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;

    public IActionResult OnGet() => options.Value.Enabled ? Page() : NotFound();

    public async Task<IActionResult> OnPostOptionsAsync() =>
        options.Value.Enabled ? Content(await signIn.MakePasskeyRequestOptionsAsync(null), "application/json") : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!options.Value.Enabled)
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            Message = ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage).FirstOrDefault();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var handle = PasskeyCredentialJson.Read(Credential).UserHandle;
        var account = SignInThrottle.AccountKey(handle is { Length: <= 450 } ? handle : null, "passkey");
        if (!throttle.TryBegin(HttpContext, account, out var refusal))
        {
            return refusal;
        }

        var result = await signIn.PasskeySignInAsync(Credential);
        if (result.Succeeded)
        {
            throttle.Succeeded(HttpContext, account);
            metrics.SignIn(true);
            return LocalRedirect(LocalReturnUrl ?? "/");
        }

        throttle.Failed(HttpContext, account);
        metrics.SignIn(false);
        Message = result.IsLockedOut ? "This account is temporarily locked. Try again later."
            : result.IsNotAllowed ? "Confirm your email address first: open the link in the message we sent you."
            : "That passkey was not accepted. " + (signIn.LastPasskeyFailure ?? "");
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
