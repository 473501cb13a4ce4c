using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Admin.Users;

/// <summary>How an account is shown (<see cref="UserView"/>) and whether configuration declares it.</summary>
internal sealed class UserViews(UserManager<ApplicationUser> users, ApplicationDbContext db, TimeProvider time)
{
    public async Task<UserView> ViewAsync(ApplicationUser user, bool configured)
    {
        var roles = (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
        var lockedOut = user.LockoutEnabled && user.LockoutEnd is { } end && end > time.GetUtcNow();
        return new UserView(user.Id, user.UserName!, user.Email, user.EmailConfirmed, user.Name, roles, user.PasswordHash is not null, user.TwoFactorEnabled,
            lockedOut, lockedOut ? user.LockoutEnd : null, user.UpdatedAt, configured ? ManagedBy.Configuration : ManagedBy.Api);
    }

    public Task<bool> IsConfiguredAsync(ApplicationUser user, CancellationToken ct) =>
        db.ConfiguredEntries.AnyAsync(e => e.Kind == ConfiguredEntry.User && e.Name == user.UserName, ct);

    public async Task<HashSet<string>> ConfiguredAsync(IEnumerable<string> userNames, CancellationToken ct)
    {
        var names = userNames.ToList();
        return (await db.ConfiguredEntries.Where(e => e.Kind == ConfiguredEntry.User && names.Contains(e.Name)).Select(e => e.Name).ToListAsync(ct))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
