using IdentityServer.Accounts;
using IdentityServer.Data;
using IdentityServer.External;
using IdentityServer.Passkeys;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Pages.Account.Manage;

/// <summary>Linked providers: link another, unlink one — never the last way to sign in.</summary>
[RequireRecentSignIn]
internal sealed class LoginsModel(UserManager<ApplicationUser> users, UserPasskeys passkeys, IReadOnlyList<ExternalProvider> providers) : PageModel
{
    public IReadOnlyList<UserLoginInfo> Linked { get; private set; } = [];

    public IReadOnlyList<ExternalProvider> Available { get; private set; } = [];

    public bool HasPassword { get; private set; }

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? linked)
    {
        if (!await LoadAsync())
        {
            return Challenge();
        }

        Message = linked is { Length: <= 40 } ? $"{linked} is now linked." : null;
        return Page();
    }

    public async Task<IActionResult> OnPostUnlinkAsync(string? provider, string? key)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var logins = await users.GetLoginsAsync(user);
        var login = logins.FirstOrDefault(l => l.LoginProvider == provider && l.ProviderKey == key);
        if (login is null)
        {
            Message = "That provider is not linked.";
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        else if (logins.Count == 1 && !await users.HasPasswordAsync(user) && await passkeys.CountAsync(user) == 0)
        {
            Message = "This is your only way to sign in. Set a password, add a passkey or link another provider first.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else
        {
            await users.RemoveLoginAsync(user, login.LoginProvider, login.ProviderKey);
            Message = $"{login.LoginProvider} was unlinked.";
        }

        await LoadAsync();
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return false;
        }

        Linked = (await users.GetLoginsAsync(user)).ToList();
        HasPassword = await users.HasPasswordAsync(user);
        Available = providers.Where(p => Linked.All(l => l.LoginProvider != p.Name)).ToList();
        return true;
    }
}
