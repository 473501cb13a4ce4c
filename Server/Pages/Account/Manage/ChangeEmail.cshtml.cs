using System.ComponentModel.DataAnnotations;
using IdentityServer.Accounts;
using IdentityServer.Accounts.Email;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Pages.Account.Manage;

/// <summary>The new address takes effect only once the link sent to it is opened.</summary>
[RequireRecentSignIn]
internal sealed class ChangeEmailModel(UserManager<ApplicationUser> users, AccountEmails emails) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter the new email address.")]
    [EmailAddress(ErrorMessage = "That is not an email address.")]
    [DeliverableEmail]
    [StringLength(254)]
    [Display(Name = "New email")]
    public string NewEmail { get; set; } = "";

    public bool Sent { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (!string.Equals(NewEmail, user.Email, StringComparison.OrdinalIgnoreCase))
        {
            await emails.SendEmailChangeAsync(user, NewEmail);
        }

        Sent = true;
        return Page();
    }
}
