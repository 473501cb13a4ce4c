using IdentityServer.Audit;
using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Admin.Console;

/// <summary>
/// The dashboard's counts, each one query. Tokens are counted from their rows, and client_credentials access
/// tokens get none (<c>Oidc/TokenRowsHandler</c>): the figure is codes, refresh tokens and people's access tokens,
/// and the page says so rather than pretend it is every token issued.
/// </summary>
internal sealed class ConsoleDashboard(ApplicationDbContext db, IOpenIddictApplicationManager applications, AuditQuery audit, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public async Task<DashboardCounts> CountAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var since = now - Window;
        var sinceUtc = since.UtcDateTime;
        var users = await db.Users.CountAsync(ct);
        var clients = await applications.CountAsync(ct);
        var sessions = await db.Sessions.CountAsync(s => s.ExpiresAt > now && s.AbsoluteExpiresAt > now, ct);
        var tokens = await db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.CreationDate >= sinceUtc)
            .GroupBy(t => t.Type)
            .Select(g => new { Type = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var failures = await audit.Find(new AuditFilter { Type = AuditEventTypes.SignInFailed, From = since }).CountAsync(ct);
        var byType = tokens.GroupBy(t => Label(t.Type), StringComparer.Ordinal).Select(g => (Type: g.Key, Count: g.Sum(t => t.Count)))
            .OrderBy(t => t.Type, StringComparer.Ordinal).ToList();
        return new DashboardCounts(users, clients, sessions, byType.Sum(t => t.Count), byType, failures, since);
    }

    /// <summary>OpenIddict stores token types as URNs (<c>urn:ietf:params:oauth:token-type:refresh_token</c>): the page shows their last part.</summary>
    private static string Label(string? type) => type is { Length: > 0 } ? type[(type.LastIndexOf(':') + 1)..] : "unknown";
}
