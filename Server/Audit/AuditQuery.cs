using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Audit;

/// <summary>Reads the audit trail, newest first; the admin API, the admin console and the account pages page through it.</summary>
internal sealed class AuditQuery(ApplicationDbContext db)
{
    public IQueryable<AuditEvent> Find(AuditFilter filter)
    {
        var events = db.AuditEvents.AsNoTracking();
        if (filter.UserId is { Length: > 0 } userId)
        {
            events = events.Where(e => e.UserId == userId);
        }

        if (filter.ClientId is { Length: > 0 } clientId)
        {
            events = events.Where(e => e.ClientId == clientId);
        }

        if (filter.Type is { Length: > 0 } type)
        {
            var area = type + ".";
            events = events.Where(e => e.Type == type || e.Type.StartsWith(area));
        }

        if (filter.Types is { Count: > 0 } types)
        {
            events = events.Where(e => types.Contains(e.Type));
        }

        if (filter.From is { } from)
        {
            events = events.Where(e => e.OccurredAt >= from);
        }

        if (filter.To is { } to)
        {
            events = events.Where(e => e.OccurredAt < to);
        }

        if (filter.Text is { Length: > 0 } text)
        {
            events = events.Where(e => (e.UserName != null && e.UserName.Contains(text)) || (e.ClientId != null && e.ClientId.Contains(text))
                || (e.Actor != null && e.Actor.Contains(text)) || (e.Reason != null && e.Reason.Contains(text)));
        }

        return events.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id);
    }

    /// <summary>Removes events older than <paramref name="before"/>, in batches so a long trail never holds a long lock.</summary>
    public async Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        long removed = 0;
        while (true)
        {
            var batch = await db.AuditEvents.Where(e => e.OccurredAt < before).OrderBy(e => e.Id).Select(e => e.Id).Take(1000).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return removed;
            }

            removed += await db.AuditEvents.Where(e => batch.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
