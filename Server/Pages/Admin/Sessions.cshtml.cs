using System.ComponentModel.DataAnnotations;
using IdentityServer.Admin;
using IdentityServer.Admin.Console;
using IdentityServer.Admin.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace IdentityServer.Pages.Admin;

internal sealed class SessionsModel(ConsoleSessions sessions, AdminSessions ending, IOptions<AdminOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    [StringLength(256)]
    [Display(Name = "User name")]
    public string? UserName { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    [Range(1, int.MaxValue)]
    public int? PageNumber { get; set; }

    public Paged<SessionRow> Sessions { get; private set; } = null!;

    public string? Message { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostEndAsync(string? userId, string? id)
    {
        if (userId is { Length: > 0 } && id is { Length: > 0 } && await ending.EndAsync(userId, id, ConsoleActor.Of(User), HttpContext.RequestAborted) is AdminResult<int>.Done)
        {
            Message = "The session was ended: that browser is signed out, and the apps it signed in to were told.";
        }
        else
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            Message = "That session does not exist any more.";
        }

        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var valid = ModelState.IsValid;
        Sessions = await sessions.ListAsync(valid ? UserName : null, valid ? PageNumber : null, options.Value.MaxPageSize, HttpContext.RequestAborted);
    }
}
