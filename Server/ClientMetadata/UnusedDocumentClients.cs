using IdentityServer.Data;
using IdentityServer.Oidc;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Application = OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication;

namespace IdentityServer.ClientMetadata;

/// <summary>
/// Removes the client rows of metadata documents whose cache lifetime has passed and that hold no authorization or
/// token: anyone can make this server keep a row by naming a fresh document URL, without signing in, so such rows
/// live no longer than their document (at most <see cref="ClientMetadataOptions.MaxCacheLifetime"/>) plus a prune
/// interval. A row someone signed in with stays while its grants do, and is fetched again when next used.
/// </summary>
internal sealed class UnusedDocumentClients(ApplicationDbContext db, IOpenIddictApplicationManager applications)
{
    public async Task<long> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var candidates = await db.Set<Application>().AsNoTracking()
            .Where(a => a.Settings != null && a.Settings.Contains(ClientSettings.DocumentExpires) && !a.Authorizations.Any() && !a.Tokens.Any())
            .Select(a => a.Id!).ToListAsync(cancellationToken);
        long removed = 0;
        foreach (var id in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await applications.FindByIdAsync(id, cancellationToken) is { } application
                && ClientSettings.DocumentHasExpired(await applications.GetSettingsAsync(application, cancellationToken), now))
            {
                await applications.DeleteAsync(application, cancellationToken);
                removed++;
            }
        }

        return removed;
    }
}
