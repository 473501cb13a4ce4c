using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Oidc.Storage;

/// <summary>
/// The reads every code exchange, refresh and userinfo request makes, compiled once: OpenIddict's and Identity's own
/// lookups rebuild and re-parameterise their LINQ trees on every call (what that cost: bench/README.md).
/// One instance per server, not static: EF binds a compiled query to the first model it runs against,
/// and one process may host servers on SQLite and on PostgreSQL (the tests do).
/// </summary>
internal sealed class CompiledQueries
{
    /// <summary>A token with its client and authorization, tracked: OpenIddict may redeem or revoke it.</summary>
    public Func<ApplicationDbContext, string, CancellationToken, Task<OpenIddictEntityFrameworkCoreToken?>> TokenById { get; } =
        EF.CompileAsyncQuery((ApplicationDbContext db, string id, CancellationToken _) => db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Include(t => t.Application).Include(t => t.Authorization).AsTracking()
            .FirstOrDefault(t => t.Id == id));

    /// <summary>The same, by reference identifier: how an authorization code is presented and found.</summary>
    public Func<ApplicationDbContext, string, CancellationToken, Task<OpenIddictEntityFrameworkCoreToken?>> TokenByReferenceId { get; } =
        EF.CompileAsyncQuery((ApplicationDbContext db, string referenceId, CancellationToken _) => db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Include(t => t.Application).Include(t => t.Authorization).AsTracking()
            .FirstOrDefault(t => t.ReferenceId == referenceId));

    /// <summary>A user, untracked: the token and userinfo endpoints only read it.</summary>
    public Func<ApplicationDbContext, string, CancellationToken, Task<ApplicationUser?>> UserById { get; } =
        EF.CompileAsyncQuery((ApplicationDbContext db, string id, CancellationToken _) =>
            db.Users.AsNoTracking().FirstOrDefault(u => u.Id == id));
}
