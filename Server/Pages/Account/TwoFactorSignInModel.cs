using IdentityServer.Data;
using IdentityServer.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SignInResult = Microsoft.AspNetCore.Identity.SignInResult;

namespace IdentityServer.Pages.Account;

/// <summary>
/// The second step of a sign-in that needs 2FA: only reachable after the password step (Identity's
/// two-factor cookie), then a code of some kind finishes the sign-in.
/// </summary>
internal abstract class TwoFactorSignInModel(SignInManager<ApplicationUser> signIn, SignInThrottle throttle) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public abstract string Code { get; set; }

    public string? Message { get; private set; }

    protected SignInManager<ApplicationUser> SignInManager => signIn;

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/Login") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user)
        {
            return RedirectToPage("/Account/Login");
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var account = SignInThrottle.AccountKey(user.Id, null);
        if (!throttle.TryBegin(HttpContext, account, out var refusal))
        {
            return refusal;
        }

        var result = await SignInWithCodeAsync(Code.Replace(" ", "", StringComparison.Ordinal));
        if (result.Succeeded)
        {
            throttle.Succeeded(HttpContext, account);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }

        throttle.Failed(HttpContext, account);
        Message = result.IsLockedOut ? "Too many wrong codes. The account is temporarily locked." : InvalidCodeMessage;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    protected abstract string InvalidCodeMessage { get; }

    protected abstract Task<SignInResult> SignInWithCodeAsync(string code);
}
