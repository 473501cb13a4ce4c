using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Seeding;

/// <summary>
/// Configuration is the source of truth for what it declares: what it declared at the last start and
/// declares no more is removed; rows it never declared (registrations, later an admin API) are never touched.
/// </summary>
internal sealed class DeclaredEntries(ApplicationDbContext db)
{
    /// <summary>Records <paramref name="declared"/> and removes (with <paramref name="remove"/>) what was recorded before and is gone now.</summary>
    public async Task<int> ReconcileAsync(string kind, IEnumerable<string> declared, Func<string, Task<bool>> remove)
    {
        var wanted = declared.ToHashSet(StringComparer.Ordinal);
        var recorded = await db.ConfiguredEntries.Where(e => e.Kind == kind).ToListAsync();
        var changes = 0;
        foreach (var entry in recorded.Where(e => !wanted.Contains(e.Name)))
        {
            changes += await remove(entry.Name) ? 1 : 0;
            db.ConfiguredEntries.Remove(entry);
        }

        foreach (var name in wanted.Except(recorded.Select(e => e.Name), StringComparer.Ordinal))
        {
            db.ConfiguredEntries.Add(new ConfiguredEntry { Kind = kind, Name = name });
        }

        await db.SaveChangesAsync();
        return changes;
    }
}
