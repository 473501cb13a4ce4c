using System.ComponentModel.DataAnnotations;
using IdentityServer.Accounts;
using IdentityServer.Accounts.Email;
using IdentityServer.Data;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Pages.Account.Manage;

[RequireRecentSignIn]
internal sealed class ChangePasswordModel(UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, SessionManager sessions, AccountEmails emails) : PageModel
{
    /// <summary>
    /// Required to change a password. An account with none (passkey or provider only) does not set one here: a
    /// session alone (perhaps a stolen one) would then add a way in and could remove the owner's passkey after it.
    /// It is sent a reset link instead, which proves the mailbox, and the reset ends every session.
    /// </summary>
    [BindProperty]
    [StringLength(PasswordPolicy.MaximumLength)]
    [DataType(DataType.Password)]
    [Display(Name = "Current password")]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Choose a new password.")]
    [StringLength(PasswordPolicy.MaximumLength, ErrorMessage = "Passwords can be at most 1024 characters long.")]
    [DataType(DataType.Password)]
    [Display(Name = "New password")]
    public string NewPassword { get; set; } = "";

    public bool Done { get; private set; }

    public bool HasPassword { get; private set; } = true;

    public bool LinkSent { get; private set; }

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        HasPassword = await users.HasPasswordAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostSendLinkAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        HasPassword = await users.HasPasswordAsync(user);
        if (HasPassword || user.Email is null)
        {
            Message = HasPassword ? "This account has a password: change it with the form." : "This account has no email address to send a link to. Add one first.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await emails.SendPasswordResetAsync(user);
        LinkSent = true;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        HasPassword = await users.HasPasswordAsync(user);
        if (!HasPassword)
        {
            Message = "This account has no password to change. Ask for a link to set one.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (string.IsNullOrEmpty(CurrentPassword))
        {
            ModelState.AddModelError(nameof(CurrentPassword), "Enter your current password.");
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // Counted toward lockout: a stolen session is not an unlimited password-guessing oracle.
        var check = await signIn.CheckPasswordSignInAsync(user, CurrentPassword!, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            ModelState.AddModelError(nameof(CurrentPassword), check.IsLockedOut
                ? "Too many wrong passwords. The account is temporarily locked."
                : "The current password is not correct.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return await FinishAsync(user, await users.ChangePasswordAsync(user, CurrentPassword!, NewPassword));
    }

    private async Task<IActionResult> FinishAsync(ApplicationUser user, IdentityResult result)
    {
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Description);
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await sessions.EndOthersAndRefreshAsync(HttpContext, signIn, user);
        Done = true;
        return Page();
    }
}
