using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Oidc.Storage;

/// <summary>
/// Prunes authorizations in CreationDate order, in short batches. An authorization goes only once no
/// token points at it (tokens are pruned first), so the delete never trips the tokens' foreign key.
/// </summary>
internal sealed class AuthorizationStore(IMemoryCache cache, IOpenIddictEntityFrameworkCoreContext openIddictContext, ApplicationDbContext context, IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options, RequestApplications applications)
    : OpenIddictEntityFrameworkCoreAuthorizationStore(cache, openIddictContext, options)
{
    /// <summary>The client row comes from the shared snapshots when it can, instead of a query.</summary>
    public override ValueTask SetApplicationIdAsync(OpenIddictEntityFrameworkCoreAuthorization authorization, string? identifier, CancellationToken cancellationToken)
    {
        applications.AttachIfKnown(context, identifier);
        return base.SetApplicationIdAsync(authorization, identifier, cancellationToken);
    }

    public override async ValueTask<long> PruneAsync(DateTimeOffset threshold, CancellationToken cancellationToken)
    {
        var date = threshold.UtcDateTime;
        long removed = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = await context.Set<OpenIddictEntityFrameworkCoreAuthorization>()
                .Where(a => a.CreationDate < date)
                .Where(a => (a.Status != Statuses.Valid || a.Type == AuthorizationTypes.AdHoc) && !a.Tokens.Any())
                .OrderBy(a => a.CreationDate)
                .Take(TokenStore.BatchSize)
                .ExecuteDeleteAsync(cancellationToken);
            removed += count;
            if (count < TokenStore.BatchSize)
            {
                return removed;
            }
        }
    }
}
