using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Pages.Account;

internal sealed class LogoutModel(SignInManager<ApplicationUser> signIn) : PageModel
{
    public bool SignedOut { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        SignedOut = true;
        return Page();
    }
}
