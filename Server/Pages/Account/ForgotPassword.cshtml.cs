using System.ComponentModel.DataAnnotations;
using IdentityServer.Accounts.Email;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Pages.Account;

internal sealed class ForgotPasswordModel(UserManager<ApplicationUser> users, AccountEmails emails) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter your email address.")]
    [EmailAddress(ErrorMessage = "That is not an email address.")]
    [StringLength(254)]
    public string Email { get; set; } = "";

    public bool Sent { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // The same answer whether or not the address has an account; the mail is only queued, so a slow
        // SMTP server cannot make the known address answer later than the unknown one.
        var user = await users.FindByEmailAsync(Email);
        if (user is not null && await users.IsEmailConfirmedAsync(user))
        {
            await emails.SendPasswordResetAsync(user);
        }

        Sent = true;
        return Page();
    }
}
