using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace IdentityServer.Sessions;

/// <summary>Lists and ends server-side sessions. Ending one also revokes every grant the session produced.</summary>
internal sealed class SessionManager(ApplicationDbContext db, IOpenIddictAuthorizationManager authorizations, IOpenIddictTokenManager tokens)
{
    /// <summary>
    /// After a password or 2FA change: every other session ends (and its apps' tokens with it); this one is
    /// re-issued with the new security stamp under a new id, keeping its apps signed in.
    /// </summary>
    public async Task EndOthersAndRefreshAsync(HttpContext context, SignInManager<ApplicationUser> signIn, ApplicationUser user)
    {
        await EndAllExceptAsync(user.Id, DatabaseTicketStore.CurrentSessionId(context), context.RequestAborted);
        context.Items[DatabaseTicketStore.CarryGrantsItem] = true;
        await signIn.RefreshSignInAsync(user);
    }

    public Task<List<UserSession>> ListAsync(string userId, CancellationToken ct) =>
        db.Sessions.AsNoTracking().Where(s => s.UserId == userId).OrderByDescending(s => s.LastSeenAt).ToListAsync(ct);

    public async Task AddGrantAsync(string sessionId, string authorizationId, CancellationToken ct)
    {
        db.SessionGrants.Add(new SessionGrant { SessionId = sessionId, AuthorizationId = authorizationId });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Ends one of <paramref name="userId"/>'s sessions; false when it is not theirs or already gone.</summary>
    public async Task<bool> EndAsync(string userId, string sessionId, CancellationToken ct)
    {
        var ended = await db.Sessions.Where(s => s.Id == sessionId && s.UserId == userId).ExecuteDeleteAsync(ct) > 0;
        await RevokeGrantsAsync([sessionId], ct);
        return ended;
    }

    public async Task<int> EndAllExceptAsync(string userId, string? keepSessionId, CancellationToken ct)
    {
        var ids = await db.Sessions.Where(s => s.UserId == userId && s.Id != keepSessionId).Select(s => s.Id).ToListAsync(ct);
        await db.Sessions.Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync(ct);
        await RevokeGrantsAsync(ids, ct);
        return ids.Count;
    }

    /// <summary>Called when the session's cookie is signed out: the row is gone, its grants go too.</summary>
    public async Task EndByIdAsync(string sessionId, CancellationToken ct)
    {
        await db.Sessions.Where(s => s.Id == sessionId).ExecuteDeleteAsync(ct);
        await RevokeGrantsAsync([sessionId], ct);
    }

    private async Task RevokeGrantsAsync(List<string> sessionIds, CancellationToken ct)
    {
        if (sessionIds.Count == 0)
        {
            return;
        }

        var grants = await db.SessionGrants.Where(g => sessionIds.Contains(g.SessionId)).Select(g => g.AuthorizationId).ToListAsync(ct);
        foreach (var id in grants)
        {
            await tokens.RevokeByAuthorizationIdAsync(id, ct);
            if (await authorizations.FindByIdAsync(id, ct) is { } authorization)
            {
                await authorizations.TryRevokeAsync(authorization, ct);
            }
        }

        await db.SessionGrants.Where(g => sessionIds.Contains(g.SessionId)).ExecuteDeleteAsync(ct);
    }
}
