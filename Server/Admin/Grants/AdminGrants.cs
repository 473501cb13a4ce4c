using System.Text.Json;
using IdentityServer.Audit;
using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Admin.Grants;

/// <summary>Authorizations by person or by client, and their revocation together with every token they issued.</summary>
internal sealed class AdminGrants(ApplicationDbContext db, IOpenIddictAuthorizationManager authorizations, IOpenIddictTokenManager tokens, AuditTrail audit)
{
    public async Task<Page<GrantView>> ListAsync(string? userId, string? clientId, PageRequest page, CancellationToken ct)
    {
        var rows = db.Set<OpenIddictEntityFrameworkCoreAuthorization>().AsNoTracking();
        if (userId is { Length: > 0 })
        {
            rows = rows.Where(a => a.Subject == userId);
        }

        if (clientId is { Length: > 0 })
        {
            rows = rows.Where(a => a.Application!.ClientId == clientId);
        }

        if (page.Query is { } q)
        {
            rows = rows.Where(a => (a.Scopes != null && a.Scopes.Contains(q)) || (a.Status != null && a.Status == q));
        }

        var total = await rows.CountAsync(ct);
        var found = await rows.OrderByDescending(a => a.CreationDate).ThenBy(a => a.Id).Skip(page.Skip).Take(page.PageSize)
            .Select(a => new { a.Id, a.Subject, a.Application!.ClientId, a.Type, a.Status, a.Scopes, a.CreationDate }).ToListAsync(ct);
        return new Page<GrantView>([.. found.Select(a => new GrantView(a.Id!, a.Subject, a.ClientId, a.Type, a.Status, ScopesOf(a.Scopes), a.CreationDate))],
            page.Page, page.PageSize, total);
    }

    /// <summary>Revokes the grant and every token issued under it: its refresh tokens stop at once (invalid_grant).</summary>
    public async Task<AdminResult<GrantsRevoked>> RevokeAsync(string id, AdminActor actor, CancellationToken ct)
    {
        var row = await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().AsNoTracking().Where(a => a.Id == id)
            .Select(a => new { a.Id, a.Subject, a.Application!.ClientId, a.Type, a.Status, a.Scopes, a.CreationDate }).FirstOrDefaultAsync(ct);
        if (row is null || await authorizations.FindByIdAsync(id, ct) is not { } authorization)
        {
            return new AdminResult<GrantsRevoked>.NotFound();
        }

        // Tokens first: once the grant is revoked, nothing new can be issued under it, and nothing already issued stays valid.
        var revoked = await tokens.RevokeByAuthorizationIdAsync(id, ct);
        await authorizations.TryRevokeAsync(authorization, ct);
        var view = new GrantView(row.Id!, row.Subject, row.ClientId, row.Type, OpenIddictConstants.Statuses.Revoked, ScopesOf(row.Scopes), row.CreationDate);
        await audit.RecordAsync(new AuditRecord(AuditEventTypes.Admin("grant", "revoked"))
        {
            UserId = row.Subject,
            ClientId = row.ClientId,
            Actor = actor.Name,
            Details = new { grant = row.Id, before = row.Status, tokensRevoked = revoked },
        }, ct);
        return new AdminResult<GrantsRevoked>.Done(new GrantsRevoked(view, revoked));
    }

    private static string[] ScopesOf(string? json)
    {
        try
        {
            return json is null ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
