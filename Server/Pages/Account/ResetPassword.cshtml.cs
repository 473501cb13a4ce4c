using System.ComponentModel.DataAnnotations;
using System.Text;
using IdentityServer.Accounts;
using IdentityServer.Data;
using IdentityServer.RateLimiting;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityServer.Pages.Account;

internal sealed class ResetPasswordModel(UserManager<ApplicationUser> users, SessionManager sessions, SignInThrottle throttle) : PageModel
{
    [BindProperty(SupportsGet = true)]
    [Required]
    [StringLength(254)]
    public string Email { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    [Required]
    [StringLength(4096)]
    public string Code { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Choose a new password.")]
    [StringLength(PasswordPolicy.MaximumLength, ErrorMessage = "Passwords can be at most 1024 characters long.")]
    [DataType(DataType.Password)]
    [Display(Name = "New password")]
    public string Password { get; set; } = "";

    public bool Done { get; private set; }

    /// <summary>A reset does not remove passkeys: the page says how many the account holds, so one planted by someone else is noticed.</summary>
    public int Passkeys { get; private set; }

    public void OnGet() => ModelState.Clear();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var user = await users.FindByEmailAsync(Email);
        var account = SignInThrottle.AccountKey(user?.Id, users.NormalizeEmail(Email));
        if (!throttle.TryBegin(HttpContext, account, out var refusal))
        {
            return refusal;
        }

        IdentityResult result;
        try
        {
            result = user is null
                ? IdentityResult.Failed(new IdentityError { Code = "InvalidToken", Description = "This reset link is invalid or has expired." })
                : await users.ResetPasswordAsync(user, Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(Code)), Password);
        }
        catch (FormatException)
        {
            result = IdentityResult.Failed(new IdentityError { Code = "InvalidToken", Description = "This reset link is invalid or has expired." });
        }

        // A wrong or stale link is a failed attempt; a rejected new password came with a good link.
        if (result.Errors.Any(e => e.Code == "InvalidToken"))
        {
            throttle.Failed(HttpContext, account);
        }
        else
        {
            throttle.Succeeded(HttpContext, account);
        }

        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Code == "InvalidToken" ? "This reset link is invalid or has expired." : error.Description);
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // A new password ends every session, and with them the apps' refresh tokens.
        await sessions.EndAllExceptAsync(user!.Id, keepSessionId: null, HttpContext.RequestAborted);
        Passkeys = (await users.GetPasskeysAsync(user)).Count;
        Done = true;
        return Page();
    }
}
