using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.BackchannelLogout;

/// <summary>
/// Queues a logout notification for every client that was issued a grant in a session that is ending. Called
/// on the caller's context (and transaction) just before the session rows and their grant links are deleted.
/// </summary>
internal sealed class LogoutOutbox(ApplicationDbContext db, IOpenIddictApplicationManager applications, IOptions<BackchannelLogoutOptions> options, TimeProvider time)
{
    public async Task<int> EnqueueAsync(IQueryable<UserSession> ending, CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            return 0;
        }

        var recipients = await ending
            .Join(db.SessionGrants, s => s.Id, g => g.SessionId, (s, g) => new { s.Sid, s.UserId, g.AuthorizationId })
            .Join(db.Set<OpenIddictEntityFrameworkCoreAuthorization>(), x => x.AuthorizationId, a => a.Id, (x, a) => new { x.Sid, x.UserId, a.Application!.ClientId })
            .Distinct()
            .ToListAsync(ct);
        if (recipients.Count == 0)
        {
            return 0;
        }

        var uris = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var clientId in recipients.Select(r => r.ClientId).OfType<string>().Distinct())
        {
            uris[clientId] = await LogoutUris.FindAsync(applications, clientId, ct);
        }

        var now = time.GetUtcNow().UtcTicks;
        var notices = recipients
            .Where(r => r.ClientId is not null && uris[r.ClientId] is not null)
            .Select(r => new BackchannelLogoutNotice
            {
                ClientId = r.ClientId!, Uri = uris[r.ClientId!]!, Subject = r.UserId, SessionId = r.Sid, CreatedAt = now, NextAttemptAt = now,
            })
            .ToList();
        if (notices.Count > 0)
        {
            db.BackchannelLogoutNotices.AddRange(notices);
            await db.SaveChangesAsync(ct);
            foreach (var notice in notices)
            {
                db.Entry(notice).State = EntityState.Detached;
            }
        }

        return notices.Count;
    }
}
