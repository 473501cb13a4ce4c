using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Oidc.Storage;

/// <summary>
/// OpenIddict's token store with a prune that walks the CreationDate index: each batch is one short
/// DELETE of at most 1,000 rows in date order, so SQLite and PostgreSQL use an index range scan instead
/// of scanning the whole table by primary key, and writers are never blocked for long.
/// Updates of a token loaded in this request (redeeming, revoking) write only the columns that changed:
/// OpenIddict's own update rewrites every column, and so every index entry of the row.
/// </summary>
internal sealed class TokenStore(IMemoryCache cache, IOpenIddictEntityFrameworkCoreContext openIddictContext, ApplicationDbContext context, IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options, RequestApplications applications, TokenWriteBatch batch, CompiledQueries queries, TimeProvider time)
    : OpenIddictEntityFrameworkCoreTokenStore(cache, openIddictContext, options)
{
    /// <summary>The client row comes from the shared snapshots when it can, instead of a query.</summary>
    public override ValueTask SetApplicationIdAsync(OpenIddictEntityFrameworkCoreToken token, string? identifier, CancellationToken cancellationToken)
    {
        applications.AttachIfKnown(context, identifier);
        return base.SetApplicationIdAsync(token, identifier, cancellationToken);
    }

    /// <summary>Same rows, includes and tracking as OpenIddict's lookup, through a query compiled once.</summary>
    public override ValueTask<OpenIddictEntityFrameworkCoreToken?> FindByIdAsync(string identifier, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        return Tracked(t => string.Equals(t.Id, identifier, StringComparison.Ordinal)) is { } token
            ? new(token)
            : new(queries.TokenById(context, identifier, cancellationToken));
    }

    /// <summary>Same rows, includes and tracking as OpenIddict's lookup, through a query compiled once.</summary>
    public override ValueTask<OpenIddictEntityFrameworkCoreToken?> FindByReferenceIdAsync(string identifier, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        return Tracked(t => string.Equals(t.ReferenceId, identifier, StringComparison.Ordinal)) is { } token
            ? new(token)
            : new(queries.TokenByReferenceId(context, identifier, cancellationToken));
    }

    /// <summary>
    /// A token created earlier in this request (not saved yet, see TokenWriteBatch) is only in the tracker.
    /// Keys and reference ids never change, so looking without a full DetectChanges pass finds the same entry.
    /// </summary>
    private OpenIddictEntityFrameworkCoreToken? Tracked(Func<OpenIddictEntityFrameworkCoreToken, bool> match)
    {
        var tracker = context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return tracker.Entries<OpenIddictEntityFrameworkCoreToken>().Select(entry => entry.Entity).FirstOrDefault(match);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }

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

    public override async ValueTask CreateAsync(OpenIddictEntityFrameworkCoreToken token, CancellationToken cancellationToken)
    {
        if (batch.Active)
        {
            // Saved with the response's other new tokens (TokenWriteBatch).
            context.Add(token);
            return;
        }

        await base.CreateAsync(token, cancellationToken);
    }

    public override async ValueTask UpdateAsync(OpenIddictEntityFrameworkCoreToken token, CancellationToken cancellationToken)
    {
        var entry = context.Entry(token);
        if (entry.State == EntityState.Added)
        {
            // Not written yet (TokenWriteBatch): the pending insert carries the new values.
            return;
        }

        if (entry.State != EntityState.Unchanged && entry.State != EntityState.Modified)
        {
            await base.UpdateAsync(token, cancellationToken);
            return;
        }

        // Change tracking knows what changed; the concurrency token still guards the row exactly as before.
        token.ConcurrencyToken = Guid.NewGuid().ToString();
        try
        {
            await context.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException exception)
        {
            entry.State = EntityState.Unchanged;
            throw new OpenIddictExceptions.ConcurrencyException("The token was concurrently updated and cannot be persisted in its current state.", exception);
        }
    }
}
