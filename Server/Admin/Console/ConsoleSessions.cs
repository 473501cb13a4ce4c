using IdentityServer.Audit;
using IdentityServer.Data;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Admin.Console;

/// <summary>
/// Every person's live sessions for the console, and ending one of them. Ending goes through
/// <see cref="SessionManager"/>, as the person's own sessions page does: the row, its grants and tokens go,
/// and the apps are told (back-channel logout).
/// </summary>
internal sealed class ConsoleSessions(ApplicationDbContext db, SessionManager sessions, AuditTrail audit, ILookupNormalizer normalizer, TimeProvider time)
{
    public async Task<Paged<SessionRow>> ListAsync(string? userName, int? page, int size, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var live = db.Sessions.AsNoTracking().Where(s => s.ExpiresAt > now && s.AbsoluteExpiresAt > now);
        var rows = from s in live
                   join u in db.Users on s.UserId equals u.Id into owners
                   from u in owners.DefaultIfEmpty()
                   select new { Session = s, UserName = u == null ? null : u.UserName, u.NormalizedUserName };
        if (userName is { Length: > 0 })
        {
            var normalized = normalizer.NormalizeName(userName.Trim());
            rows = rows.Where(r => r.NormalizedUserName == normalized);
        }

        var total = await rows.CountAsync(ct);
        var number = Paged<SessionRow>.Clamp(page, total, size);
        var items = await rows.OrderByDescending(r => r.Session.LastSeenAt).ThenBy(r => r.Session.Id)
            .Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return new Paged<SessionRow>(
            [.. items.Select(r => new SessionRow(SessionIds.Handle(r.Session.Id), r.Session.UserId, r.UserName, r.Session.CreatedAt,
                r.Session.AuthenticatedAt, r.Session.LastSeenAt, r.Session.AuthenticationMethod, r.Session.IpAddress, r.Session.UserAgent))],
            number, size, total);
    }

    /// <summary>Ends the session of <paramref name="userId"/>'s that <paramref name="handle"/> names; false when there is none.</summary>
    public async Task<bool> EndAsync(AdminActor actor, string? userId, string? handle, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(userId) || !SessionIds.IsHandle(handle) || !await sessions.EndByHandleAsync(userId, handle!, ct))
        {
            return false;
        }

        var userName = await db.Users.Where(u => u.Id == userId).Select(u => u.UserName).FirstOrDefaultAsync(ct);
        await audit.RecordAsync(new AuditRecord(AuditEventTypes.Admin("session", "ended"))
        {
            UserId = userId, UserName = userName, Actor = actor.Name, Details = new { session = handle },
        }, ct);
        return true;
    }

    /// <summary>Ends every session of the user and revokes every grant and refresh token of theirs ("sign out everywhere").</summary>
    public async Task<int> EndAllAsync(AdminActor actor, string userId, string userName, CancellationToken ct)
    {
        var ended = await sessions.EndAllExceptAsync(userId, keepSessionId: null, ct);
        await audit.RecordAsync(new AuditRecord(AuditEventTypes.Admin("user", "sessions_ended"))
        {
            UserId = userId, UserName = userName, Actor = actor.Name, Details = new { sessions = ended },
        }, ct);
        return ended;
    }
}
