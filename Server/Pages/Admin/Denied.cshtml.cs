using IdentityServer.Admin;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Pages.Admin;

/// <summary>
/// Where the console sends people it turns away (<c>Admin/Console/ConsoleAccessResults</c>): open to anyone,
/// always a 403, and for an admin with no second factor, the way to set one up.
/// </summary>
internal sealed class DeniedModel(UserManager<ApplicationUser> users) : PageModel
{
    public bool NeedsSecondFactor { get; private set; }

    public async Task OnGetAsync()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        if (User.IsInRole(AdminOptions.Role) && await users.GetUserAsync(User) is { } user)
        {
            NeedsSecondFactor = !await users.GetTwoFactorEnabledAsync(user);
        }
    }
}
