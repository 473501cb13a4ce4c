using IdentityServer.Admin;
using IdentityServer.Admin.Clients;
using IdentityServer.Admin.Console;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Pages.Admin.Clients;

/// <summary>
/// Creates a client through the shared <see cref="AdminClients"/>. A confidential client's secret is in this POST's
/// answer only (no-store, never in a redirect, cookie or log): reloading re-posts the form and finds the id taken.
/// </summary>
internal sealed class CreateModel(AdminClients clients) : PageModel
{
    [BindProperty]
    public ClientForm Form { get; set; } = new() { GrantTypes = ["client_credentials"] };

    public ClientCreated? Created { get; private set; }

    public string? Message { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Message = "Nothing was saved: correct the fields marked below.";
            return Page();
        }

        var result = await clients.CreateAsync(Form.ToInput(), ConsoleActor.Of(User), HttpContext.RequestAborted);
        if (result is AdminResult<ClientCreated>.Done done)
        {
            Created = done.Value;
            return Page();
        }

        (Response.StatusCode, Message) = ConsoleResults.Describe(result, ModelState, nameof(Form));
        return Page();
    }
}
