using System.ComponentModel.DataAnnotations;
using IdentityServer.Admin;
using IdentityServer.Admin.Clients;
using IdentityServer.Admin.Console;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Pages.Admin.Clients;

/// <summary>One client: its settings (saved through the shared <see cref="AdminClients"/>), a new secret (shown once), deletion.</summary>
internal sealed class EditModel(AdminClients clients) : PageModel
{
    [BindProperty(SupportsGet = true)]
    [Required]
    [StringLength(200)]
    public string? Id { get; set; }

    [BindProperty]
    public ClientForm Form { get; set; } = new();

    public ClientView? Client { get; private set; }

    public ClientCreated? Rotated { get; private set; }

    public bool Deleted { get; private set; }

    public string? Message { get; private set; }

    public bool Writable => Client is { ManagedBy: ManagedBy.Api } && !Deleted;

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync(fillForm: true);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync()
    {
        if (!ModelState.IsValid)
        {
            return await RefuseAsync((StatusCodes.Status400BadRequest, "Nothing was saved: correct the fields marked below."));
        }

        var result = await clients.UpdateAsync(Id!, Form.ToInput(), ConsoleActor.Of(User), HttpContext.RequestAborted);
        if (result is AdminResult<ClientView>.Done)
        {
            Message = "The client was saved.";
            await LoadAsync(fillForm: true);
            return Page();
        }

        return await RefuseAsync(ConsoleResults.Describe(result, ModelState, nameof(Form)));
    }

    public async Task<IActionResult> OnPostRotateAsync()
    {
        var result = ModelState.IsValid ? await clients.RotateSecretAsync(Id!, ConsoleActor.Of(User), HttpContext.RequestAborted) : new AdminResult<ClientCreated>.NotFound();
        if (result is AdminResult<ClientCreated>.Done done)
        {
            Rotated = done.Value;
            Message = "A new secret was made: the old one stopped working.";
            await LoadAsync(fillForm: true);
            return Page();
        }

        return await RefuseAsync(ConsoleResults.Describe(result, ModelState, nameof(Form)), fillForm: true);
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        var result = ModelState.IsValid ? await clients.DeleteAsync(Id!, ConsoleActor.Of(User), HttpContext.RequestAborted) : new AdminResult<ClientView>.NotFound();
        if (result is AdminResult<ClientView>.Done done)
        {
            Client = done.Value;
            Deleted = true;
            Message = $"The client {done.Value.ClientId} was deleted, with its grants and tokens.";
            return Page();
        }

        return await RefuseAsync(ConsoleResults.Describe(result, ModelState, nameof(Form)), fillForm: true);
    }

    private async Task<PageResult> RefuseAsync((int Status, string Message) refusal, bool fillForm = false)
    {
        (Response.StatusCode, Message) = refusal;
        await LoadAsync(fillForm);
        return Page();
    }

    private async Task LoadAsync(bool fillForm)
    {
        Client = ModelState.GetFieldValidationState(nameof(Id)) == ModelValidationState.Invalid || Id is null
            ? null
            : await clients.FindAsync(Id!, HttpContext.RequestAborted);
        if (Client is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        else if (fillForm)
        {
            Form = ClientForm.From(Client);
            ModelState.Clear();
        }
    }
}
