using IdentityServer.Data;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Pages.Account.Manage;

internal sealed class SessionsModel(UserManager<ApplicationUser> users, SessionManager sessions) : PageModel
{
    public IReadOnlyList<UserSession> Sessions { get; private set; } = [];

    public string? CurrentSessionId => DatabaseTicketStore.CurrentSessionId(HttpContext);

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : Challenge();

    public async Task<IActionResult> OnPostEndAsync(string? id)
    {
        var userId = users.GetUserId(User);
        if (userId is null)
        {
            return Challenge();
        }

        var current = CurrentSessionId;
        if (!SessionIds.IsHandle(id) || !await sessions.EndByHandleAsync(userId, id!, HttpContext.RequestAborted))
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            Message = "That session does not exist any more.";
        }
        else
        {
            Message = current is not null && SessionIds.Handle(current) == id ? "This session was ended." : "The session was ended.";
        }

        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostEndOthersAsync()
    {
        var userId = users.GetUserId(User);
        if (userId is null)
        {
            return Challenge();
        }

        var count = await sessions.EndAllExceptAsync(userId, CurrentSessionId, HttpContext.RequestAborted);
        Message = count == 1 ? "1 other session was ended." : $"{count} other sessions were ended.";
        await LoadAsync();
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        var userId = users.GetUserId(User);
        if (userId is null)
        {
            return false;
        }

        Sessions = await sessions.ListAsync(userId, HttpContext.RequestAborted);
        return true;
    }
}
