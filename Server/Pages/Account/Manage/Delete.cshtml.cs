using System.ComponentModel.DataAnnotations;
using IdentityServer.Accounts;
using IdentityServer.Data;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;

namespace IdentityServer.Pages.Account.Manage;

[RequireRecentSignIn]
internal sealed class DeleteModel(UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, SessionManager sessions,
    IOpenIddictAuthorizationManager authorizations, IOpenIddictTokenManager tokens) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter your password to confirm.")]
    [StringLength(PasswordPolicy.MaximumLength)]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public bool Deleted { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!ModelState.IsValid || !(await signIn.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: true)).Succeeded)
        {
            ModelState.AddModelError(nameof(Password), "The password is not correct, or the account is temporarily locked.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await sessions.EndAllExceptAsync(user.Id, keepSessionId: null, HttpContext.RequestAborted);
        await tokens.RevokeBySubjectAsync(user.Id, HttpContext.RequestAborted);
        await authorizations.RevokeBySubjectAsync(user.Id, HttpContext.RequestAborted);
        await users.DeleteAsync(user);
        await signIn.SignOutAsync();
        Deleted = true;
        return Page();
    }
}
