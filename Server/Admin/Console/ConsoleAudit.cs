using IdentityServer.Audit;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Admin.Console;

/// <summary>The audit log page's search: the trail's own filters (<see cref="AuditQuery"/>), a user found by name or id, and paging.</summary>
internal sealed class ConsoleAudit(AuditQuery query, UserManager<ApplicationUser> users)
{
    public async Task<Paged<AuditEvent>> SearchAsync(AuditSearch search, int size, CancellationToken ct)
    {
        var userId = search.User?.Trim() is { Length: > 0 } who ? (await users.FindByNameAsync(who))?.Id ?? who : null;
        var events = query.Find(new AuditFilter
        {
            UserId = userId,
            ClientId = Trimmed(search.Client),
            Type = Trimmed(search.Type),
            From = Utc(search.From),
            To = Utc(search.To)?.AddMinutes(1),
            Text = Trimmed(search.Text),
        });
        var total = await events.CountAsync(ct);
        var number = Paged<AuditEvent>.Clamp(search.PageNumber, total, size);
        var items = await events.Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return new Paged<AuditEvent>(items, number, size, total);
    }

    private static string? Trimmed(string? value) => value?.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    /// <summary>The form's times have no zone and a minute's precision: UTC, the zone the page shows; "to" includes its minute.</summary>
    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v && v.Year is > 1 and < 9999 ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
