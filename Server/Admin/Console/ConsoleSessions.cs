using IdentityServer.Data;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Admin.Console;

/// <summary>
/// Every person's live sessions, newest use first, for the console's sessions page: the shared
/// <c>AdminSessions</c> lists one person's at a time, and ends them (the console uses it for that).
/// </summary>
internal sealed class ConsoleSessions(ApplicationDbContext db, ILookupNormalizer normalizer, TimeProvider time)
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
}
