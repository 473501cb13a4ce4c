using System.ComponentModel.DataAnnotations;
using IdentityServer.Admin;
using IdentityServer.Admin.Console;
using IdentityServer.Admin.Passkeys;
using IdentityServer.Admin.Sessions;
using IdentityServer.Admin.Users;
using IdentityServer.Passkeys;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Pages.Admin.Users;

/// <summary>One account, and what an administrator does to it: lock, unlock, reset the second factor, end every session, remove a passkey.</summary>
internal sealed class DetailsModel(AdminUsers users, AdminSessions sessions, AdminPasskeys passkeys) : PageModel
{
    [BindProperty(SupportsGet = true)]
    [Required]
    [StringLength(450)]
    public string? Id { get; set; }

    public UserView? Account { get; private set; }

    public IReadOnlyList<PasskeyView> Passkeys { get; private set; } = [];

    public string? Message { get; private set; }

    public bool Failed { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostLockAsync() =>
        ActAsync((id, actor, ct) => users.LockAsync(id, actor, ct), r => $"The account is locked: {Ended(r.SessionsEnded)}, and its refresh tokens were revoked.");

    public Task<IActionResult> OnPostUnlockAsync() =>
        ActAsync((id, actor, ct) => users.UnlockAsync(id, actor, ct), _ => "The account is unlocked: it may sign in again.");

    public Task<IActionResult> OnPostResetTwoFactorAsync() =>
        ActAsync((id, actor, ct) => users.ResetTwoFactorAsync(id, actor, ct), r => $"The second factor was switched off and its key and recovery codes replaced; {Ended(r.SessionsEnded)}.");

    public async Task<IActionResult> OnPostEndSessionsAsync()
    {
        if (ModelState.IsValid && await sessions.EndAllAsync(Id!, ConsoleActor.Of(User), HttpContext.RequestAborted) is AdminResult<int>.Done done)
        {
            Message = $"Done: {Ended(done.Value)}, and every grant and refresh token of the account's was revoked.";
        }

        await LoadAsync();
        return Page();
    }

    /// <param name="passkeyId">A handler parameter, not a bound property: the other actions post no passkey.</param>
    public async Task<IActionResult> OnPostRemovePasskeyAsync(string? passkeyId)
    {
        var result = ModelState.IsValid ? await passkeys.RemoveAsync(Id!, passkeyId ?? "", ConsoleActor.Of(User), HttpContext.RequestAborted) : new AdminResult<PasskeyView>.NotFound();
        if (result is AdminResult<PasskeyView>.Invalid)
        {
            // Only an edited form posts a malformed id, and the page has no field to mark: it is a passkey that is not there.
            result = new AdminResult<PasskeyView>.NotFound();
        }

        if (result is AdminResult<PasskeyView>.Done done)
        {
            Message = $"The passkey “{done.Value.Name}” was removed: it no longer signs this account in.";
        }
        else
        {
            (Response.StatusCode, Message) = ConsoleResults.Describe(result, ModelState, "");
            Failed = true;
        }

        await LoadAsync();
        return Page();
    }

    private async Task<IActionResult> ActAsync(Func<string, AdminActor, CancellationToken, Task<AdminResult<UserActionResult>>> act, Func<UserActionResult, string> describe)
    {
        var result = ModelState.IsValid ? await act(Id!, ConsoleActor.Of(User), HttpContext.RequestAborted) : new AdminResult<UserActionResult>.NotFound();
        if (result is AdminResult<UserActionResult>.Done done)
        {
            Message = describe(done.Value);
        }
        else
        {
            (Response.StatusCode, Message) = ConsoleResults.Describe(result, ModelState, "");
            Failed = true;
        }

        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Account = ModelState.IsValid ? await users.FindAsync(Id!, HttpContext.RequestAborted) : null;
        if (Account is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        else if (await passkeys.ListAsync(Account.Id) is AdminResult<Page<PasskeyView>>.Done listed)
        {
            Passkeys = listed.Value.Items;
        }
    }

    private static string Ended(int count) => count == 1 ? "1 session was ended" : $"{count} sessions were ended";
}
