using System.ComponentModel.DataAnnotations;
using IdentityServer.Accounts;
using IdentityServer.Data;
using IdentityServer.External;
using IdentityServer.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Pages.Account;

/// <summary>
/// The provider verified an email that belongs to an existing account: the person proves that account's
/// password once, then the provider is linked and they are signed in. Never a silent link.
/// </summary>
internal sealed class ExternalLinkModel(UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, ExternalAccounts accounts, SignInThrottle throttle) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Enter the password of your existing account.")]
    [StringLength(PasswordPolicy.MaximumLength)]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public string Provider { get; private set; } = "";

    public string Email { get; private set; } = "";

    public string? Message { get; private set; }

    public IActionResult OnGet()
    {
        ModelState.Clear();
        return Load() is null ? RedirectToPage("/Account/Login") : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var identity = Load();
        if (identity is null)
        {
            return RedirectToPage("/Account/Login");
        }

        var user = await users.FindByEmailAsync(identity.Email!);
        if (!ModelState.IsValid || user is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var account = SignInThrottle.AccountKey(user.Id, null);
        if (!throttle.TryBegin(HttpContext, account, out var refusal))
        {
            return refusal;
        }

        var check = await signIn.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            throttle.Failed(HttpContext, account);
            Message = "That password is not correct, or the account is temporarily locked.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        throttle.Succeeded(HttpContext, account);
        if (!await accounts.LinkAsync(user, identity))
        {
            Message = "This provider account is already linked to another account.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        PendingLink.Clear(HttpContext);
        var returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
        var result = await signIn.ExternalLoginSignInAsync(identity.Provider, identity.Subject, isPersistent: false, bypassTwoFactor: false);
        return result switch
        {
            { Succeeded: true } => LocalRedirect(returnUrl),
            { RequiresTwoFactor: true } => RedirectToPage("/Account/LoginWith2fa", new { ReturnUrl = returnUrl }),
            _ => Redirect("/Account/ExternalError?provider=" + Uri.EscapeDataString(identity.Provider) + "&reason="
                + (result.IsLockedOut ? ExternalErrors.Locked : ExternalErrors.NotAllowed)),
        };
    }

    private ExternalIdentity? Load()
    {
        var identity = PendingLink.Get(HttpContext);
        if (identity?.Email is null)
        {
            return null;
        }

        Provider = identity.Provider;
        Email = identity.Email;
        return identity;
    }
}
