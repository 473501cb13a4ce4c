using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Pages.Account.Manage;

internal sealed record ConnectedApp(string ClientId, string Name, IReadOnlyList<string> Scopes, DateTimeOffset? Since);

/// <summary>The apps the person consented to; revoking one withdraws the consent and every token the app holds.</summary>
internal sealed class AppsModel(UserManager<ApplicationUser> users, IOpenIddictAuthorizationManager authorizations,
    IOpenIddictApplicationManager applications, IOpenIddictTokenManager tokens) : PageModel
{
    public IReadOnlyList<ConnectedApp> Apps { get; private set; } = [];

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : Challenge();

    public async Task<IActionResult> OnPostRevokeAsync(string? clientId)
    {
        var userId = users.GetUserId(User);
        if (userId is null)
        {
            return Challenge();
        }

        var application = string.IsNullOrEmpty(clientId) || clientId.Length > 256 ? null : await applications.FindByClientIdAsync(clientId, HttpContext.RequestAborted);
        if (application is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            Message = "That app is not connected.";
        }
        else
        {
            var id = (await applications.GetIdAsync(application, HttpContext.RequestAborted))!;
            await authorizations.RevokeAsync(userId, id, status: null, type: null, HttpContext.RequestAborted);
            await tokens.RevokeAsync(userId, id, status: null, type: null, HttpContext.RequestAborted);
            Message = "Access was revoked. The app must ask you again.";
        }

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

        var apps = new Dictionary<string, ConnectedApp>(StringComparer.Ordinal);
        await foreach (var authorization in authorizations.FindBySubjectAsync(userId, HttpContext.RequestAborted))
        {
            if (!await authorizations.HasTypeAsync(authorization, AuthorizationTypes.Permanent, HttpContext.RequestAborted)
                || !await authorizations.HasStatusAsync(authorization, Statuses.Valid, HttpContext.RequestAborted)
                || await authorizations.GetApplicationIdAsync(authorization, HttpContext.RequestAborted) is not { } appId
                || await applications.FindByIdAsync(appId, HttpContext.RequestAborted) is not { } application)
            {
                continue;
            }

            var clientId = (await applications.GetClientIdAsync(application, HttpContext.RequestAborted))!;
            var scopes = await authorizations.GetScopesAsync(authorization, HttpContext.RequestAborted);
            var since = await authorizations.GetCreationDateAsync(authorization, HttpContext.RequestAborted);
            apps[clientId] = apps.TryGetValue(clientId, out var known)
                ? known with { Scopes = known.Scopes.Union(scopes).ToList(), Since = known.Since < since ? known.Since : since }
                : new ConnectedApp(clientId, await applications.GetDisplayNameAsync(application, HttpContext.RequestAborted) ?? clientId, scopes.ToList(), since);
        }

        Apps = apps.Values.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToList();
        return true;
    }
}
