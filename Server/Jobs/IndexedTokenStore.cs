using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Jobs;

/// <summary>
/// OpenIddict's token store with a prune that walks the CreationDate index: each batch is one short
/// DELETE of at most 1,000 rows in date order, so SQLite and PostgreSQL use an index range scan instead
/// of scanning the whole table by primary key, and writers are never blocked for long.
/// </summary>
internal sealed class IndexedTokenStore(IMemoryCache cache, IOpenIddictEntityFrameworkCoreContext openIddictContext, ApplicationDbContext context, IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options, TimeProvider time)
    : OpenIddictEntityFrameworkCoreTokenStore(cache, openIddictContext, options)
{
    internal const int BatchSize = 1_000;

    public override async ValueTask<long> PruneAsync(DateTimeOffset threshold, CancellationToken cancellationToken)
    {
        var date = threshold.UtcDateTime;
        var now = time.GetUtcNow().UtcDateTime;
        long removed = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Same rule as OpenIddict: finished (not valid/inactive), its authorization no longer valid, or expired.
            var count = await context.Set<OpenIddictEntityFrameworkCoreToken>()
                .Where(t => t.CreationDate < date)
                .Where(t => (t.Status != Statuses.Inactive && t.Status != Statuses.Valid)
                    || (t.Authorization != null && t.Authorization.Status != Statuses.Valid)
                    || t.ExpirationDate < now)
                .OrderBy(t => t.CreationDate)
                .Take(BatchSize)
                .ExecuteDeleteAsync(cancellationToken);
            removed += count;
            if (count < BatchSize)
            {
                return removed;
            }
        }
    }
}
