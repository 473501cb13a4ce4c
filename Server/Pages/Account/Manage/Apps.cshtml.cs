using System.Text.Json;
using IdentityServer.Audit;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Pages.Account.Manage;

internal sealed record ConnectedApp(string ClientId, string Name, IReadOnlyList<string> Scopes, DateTimeOffset? Since);

/// <summary>The apps the person consented to; revoking one withdraws the consent and every token the app holds.</summary>
internal sealed class AppsModel(UserManager<ApplicationUser> users, IOpenIddictAuthorizationManager authorizations,
    IOpenIddictApplicationManager applications, IOpenIddictTokenManager tokens, ApplicationDbContext db, AuditTrail audit) : PageModel
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
            await audit.RecordAsync(new AuditRecord(AuditEventTypes.ConsentRevoked) { UserId = userId, UserName = User.Identity?.Name, ClientId = clientId }, HttpContext.RequestAborted);
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

        // One query for every consent the person gave, with its app: no round trip per authorization.
        var rows = await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().AsNoTracking()
            .Where(a => a.Subject == userId && a.Type == AuthorizationTypes.Permanent && a.Status == Statuses.Valid && a.Application != null)
            .Select(a => new { a.Application!.ClientId, a.Application.DisplayName, a.Scopes, a.CreationDate })
            .ToListAsync(HttpContext.RequestAborted);
        Apps = rows.GroupBy(r => r.ClientId!, StringComparer.Ordinal)
            .Select(g => new ConnectedApp(g.Key, g.First().DisplayName ?? g.Key,
                g.SelectMany(r => ScopesOf(r.Scopes)).Distinct(StringComparer.Ordinal).ToList(),
                g.Min(r => r.CreationDate) is { } since ? new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)) : null))
            .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToList();
        return true;
    }

    private static string[] ScopesOf(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];
}
