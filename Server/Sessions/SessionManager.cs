using IdentityServer.Audit;
using IdentityServer.BackchannelLogout;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Sessions;

/// <summary>
/// Lists and ends server-side sessions, and revokes what they granted. Every revocation is one set-based
/// statement per table, however many sessions, grants or tokens are involved. Every way a session ends comes
/// through <see cref="DeleteAsync"/>, which first queues the apps' back-channel logout notifications.
/// </summary>
internal sealed class SessionManager(ApplicationDbContext db, LogoutOutbox logouts, AuditTrail audit)
{
    /// <summary>
    /// After a password or 2FA change: every other session ends and every grant of the user's is revoked
    /// except those this browser session approved; this session is re-issued with the new security stamp
    /// under a new id, keeping its apps signed in.
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

    /// <summary>The valid ad-hoc grants this session holds for one app (a handful at most: one per scope set).</summary>
    public Task<List<string>> ValidGrantsAsync(string sessionId, string applicationId, CancellationToken ct) =>
        db.SessionGrants.Where(g => g.SessionId == sessionId)
            .Join(Authorizations(), g => g.AuthorizationId, a => a.Id, (g, a) => a)
            .Where(a => a.Application!.Id == applicationId && a.Status == Statuses.Valid && a.Type == AuthorizationTypes.AdHoc)
            .Select(a => a.Id!).Take(10).ToListAsync(ct);

    /// <summary>Whether this grant was carried to a re-issued session under the user's current security stamp.</summary>
    public Task<bool> IsCarriedUnderAsync(string? authorizationId, string stampHash, CancellationToken ct) =>
        authorizationId is null
            ? Task.FromResult(false)
            : db.SessionGrants.AnyAsync(g => g.AuthorizationId == authorizationId && g.CarriedStamp == stampHash, ct);

    /// <summary>Ends the session of <paramref name="userId"/>'s whose handle is given; false when none is theirs.</summary>
    public async Task<bool> EndByHandleAsync(string userId, string handle, CancellationToken ct)
    {
        var ids = await db.Sessions.Where(s => s.UserId == userId && s.Id.StartsWith(handle)).Select(s => s.Id).ToListAsync(ct);
        if (ids.Count != 1)
        {
            return false;
        }

        await EndByIdAsync(ids[0], ct, "ended_from_account_page");
        return true;
    }

    /// <summary>
    /// Ends every session of the user but <paramref name="keepSessionId"/>, and revokes every grant and token of
    /// theirs that the kept session did not approve — also those whose sessions ended long ago (idle, pruned).
    /// Consent records (permanent authorizations) stay: they carry no token.
    /// </summary>
    public async Task<int> EndAllExceptAsync(string userId, string? keepSessionId, CancellationToken ct)
    {
        var ended = db.Sessions.Where(s => s.UserId == userId && s.Id != keepSessionId);
        var count = await DeleteAsync(ended, ct);

        var kept = db.SessionGrants.Where(g => g.SessionId == keepSessionId).Select(g => g.AuthorizationId);
        await Revoke(Tokens().Where(t => t.Subject == userId && (t.Authorization == null || !kept.Contains(t.Authorization.Id))), ct);
        await Revoke(Authorizations().Where(a => a.Subject == userId && a.Type == AuthorizationTypes.AdHoc && !kept.Contains(a.Id)), ct);
        if (count > 0)
        {
            await audit.RecordAsync(new AuditRecord(AuditEventTypes.SessionEnded) { UserId = userId, Reason = keepSessionId is null ? "all_ended" : "others_ended", Details = new { count } }, ct);
        }

        return count;
    }

    /// <summary>Called when a session's cookie is signed out or the session is ended: the row goes, and its grants with it.</summary>
    public async Task EndByIdAsync(string sessionId, CancellationToken ct, string reason = "signed_out")
    {
        var userId = await db.Sessions.Where(s => s.Id == sessionId).Select(s => s.UserId).FirstOrDefaultAsync(ct);
        var grants = db.SessionGrants.Where(g => g.SessionId == sessionId).Select(g => g.AuthorizationId);
        await Revoke(Tokens().Where(t => t.Authorization != null && grants.Contains(t.Authorization.Id)), ct);
        await Revoke(Authorizations().Where(a => grants.Contains(a.Id)), ct);
        if (await DeleteAsync(db.Sessions.Where(s => s.Id == sessionId), ct) > 0)
        {
            await audit.RecordAsync(new AuditRecord(AuditEventTypes.SessionEnded) { UserId = userId, Reason = reason }, ct);
        }
    }

    /// <summary>
    /// Sessions found idle or past their hard deadline (on their next request, or by the prune job). Their grants'
    /// tokens keep their own lifetimes; only the links go.
    /// </summary>
    public Task<int> EndExpiredAsync(IReadOnlyCollection<string> sessionIds, CancellationToken ct) =>
        DeleteAsync(db.Sessions.Where(s => sessionIds.Contains(s.Id)), ct);

    /// <summary>
    /// The one place session rows are deleted: notifications queued, then the grant links and the rows, in one
    /// transaction, so a session never goes without its apps being told and no app is told of one that stays.
    /// </summary>
    private Task<int> DeleteAsync(IQueryable<UserSession> ending, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await logouts.EnqueueAsync(ending, ct);
            await db.SessionGrants.Where(g => ending.Select(s => s.Id).Contains(g.SessionId)).ExecuteDeleteAsync(ct);
            var count = await ending.ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
            return count;
        });

    private DbSet<OpenIddictEntityFrameworkCoreToken> Tokens() => db.Set<OpenIddictEntityFrameworkCoreToken>();

    private DbSet<OpenIddictEntityFrameworkCoreAuthorization> Authorizations() => db.Set<OpenIddictEntityFrameworkCoreAuthorization>();

    // A new concurrency token makes a request that read the row before this statement fail to save over it.
    private static Task<int> Revoke(IQueryable<OpenIddictEntityFrameworkCoreToken> tokens, CancellationToken ct) =>
        tokens.Where(t => t.Status != Statuses.Revoked).ExecuteUpdateAsync(t => t
            .SetProperty(x => x.Status, Statuses.Revoked).SetProperty(x => x.ConcurrencyToken, Guid.NewGuid().ToString()), ct);

    private static Task<int> Revoke(IQueryable<OpenIddictEntityFrameworkCoreAuthorization> authorizations, CancellationToken ct) =>
        authorizations.Where(a => a.Status != Statuses.Revoked).ExecuteUpdateAsync(a => a
            .SetProperty(x => x.Status, Statuses.Revoked).SetProperty(x => x.ConcurrencyToken, Guid.NewGuid().ToString()), ct);
}
