using System.ComponentModel.DataAnnotations;
using IdentityServer.Accounts;
using IdentityServer.Accounts.Email;
using IdentityServer.Data;
using IdentityServer.Passkeys;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace IdentityServer.Pages.Account.Manage;

/// <summary>
/// An account's passkeys: add one (<c>?handler=Options</c> starts the ceremony, <c>Add</c> finishes it), rename,
/// remove. Every change needs a recent sign-in; the last way into an account cannot be removed.
/// </summary>
[RequireRecentSignIn]
internal sealed class PasskeysModel(UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, UserPasskeys passkeys,
    SessionManager sessions, AccountEmails emails, IOptions<PasskeyOptions> options) : PageModel
{
    [BindProperty]
    [StringLength(UserPasskeys.MaximumNameLength, ErrorMessage = "A passkey name is at most 64 characters.")]
    [Display(Name = "Name (optional)")]
    public string? Name { get; set; }

    [BindProperty]
    [StringLength(PasskeyCredentialJson.MaximumLength, ErrorMessage = "That passkey answer is too long.")]
    public string? Credential { get; set; }

    public IReadOnlyList<PasskeyView> Passkeys { get; private set; } = [];

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() is null ? Challenge() : Page();

    public async Task<IActionResult> OnPostOptionsAsync()
    {
        if (!options.Value.Enabled)
        {
            return NotFound();
        }

        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        var entity = new PasskeyUserEntity { Id = user.Id, Name = user.UserName!, DisplayName = user.Name ?? user.UserName! };
        return Content(await signIn.MakePasskeyCreationOptionsAsync(entity), "application/json");
    }

    public async Task<IActionResult> OnPostAddAsync()
    {
        if (!options.Value.Enabled)
        {
            return NotFound();
        }

        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (!ModelState.IsValid || string.IsNullOrEmpty(Credential) || Name is not null && UserPasskeys.CleanName(Name) is null)
        {
            return await FailAsync(string.IsNullOrEmpty(Credential) && ModelState.IsValid
                ? "No passkey was sent. Use the button to add one."
                : ModelState.IsValid ? "Choose a name without control characters." : null);
        }

        var attestation = await signIn.PerformPasskeyAttestationAsync(Credential);
        if (!attestation.Succeeded || attestation.Passkey is not { } passkey)
        {
            return await FailAsync("The passkey was not added. " + attestation.Failure?.Message);
        }

        // The ceremony was started for this account; a challenge from another person's session cannot add to it.
        if (attestation.UserEntity?.Id != user.Id)
        {
            return await FailAsync("That passkey was made for another account. Start again.");
        }

        if (await passkeys.AddAsync(user, passkey, Name) is { } refused)
        {
            return await FailAsync(refused);
        }

        if (user.Email is not null)
        {
            emails.SendPasskeyAdded(user, passkey.Name ?? "Passkey");
        }

        Message = "The passkey was added. You can now sign in with it.";
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRenameAsync(string? id)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (!ModelState.IsValid || !await passkeys.RenameAsync(user, id ?? "", Name ?? ""))
        {
            return await FailAsync(ModelState.IsValid ? "That passkey could not be renamed: check the name (1 to 64 characters)." : null);
        }

        Message = "The passkey was renamed.";
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? id)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        switch (await passkeys.RemoveAsync(user, id ?? ""))
        {
            case PasskeyRemoval.NotFound:
                await FailAsync("That passkey is not on this account.");
                Response.StatusCode = StatusCodes.Status404NotFound;
                return Page();
            case PasskeyRemoval.LastWayIn:
                return await FailAsync("This passkey is your only way to sign in. Set a password or add another passkey first.");
            default:
                // Like a password change: a session someone opened with the removed passkey ends with it.
                await sessions.EndOthersAndRefreshAsync(HttpContext, signIn, user);
                Message = "The passkey was removed. It can no longer sign in to this account, and every other session was signed out.";
                await LoadAsync();
                return Page();
        }
    }

    private async Task<IActionResult> FailAsync(string? message)
    {
        Message = message;
        await LoadAsync();
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<ApplicationUser?> LoadAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return null;
        }

        Passkeys = await passkeys.ListAsync(user);
        return user;
    }

    public bool Enabled => options.Value.Enabled;
}
