using System.Diagnostics;
using IdentityServer.Audit;
using IdentityServer.ClientMetadata;
using IdentityServer.Data;
using IdentityServer.Oidc;
using IdentityServer.Passkeys;
using IdentityServer.Registration;
using IdentityServer.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Jobs;

internal sealed record PruneResult(long Tokens, long Authorizations, long Sessions, TimeSpan Duration, long Clients = 0, long AuditEvents = 0);

/// <summary>
/// Removes registered clients nobody signed in with and metadata-document clients whose document expired unused, then finished tokens, then authorizations left without tokens, then expired sessions, then audit events older than their retention — each in short
/// batches, so a big table never holds a long lock and cancellation lands between batches.
/// </summary>
internal sealed class Pruner(
    IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations,
    ApplicationDbContext db,
    SessionManager sessions,
    UnusedClients unusedClients,
    UnusedDocumentClients unusedDocumentClients,
    AuditQuery audit,
    PasskeyChallenges passkeyChallenges,
    IOptions<PruningOptions> pruning,
    IOptions<TokenLifetimeOptions> lifetimes,
    TimeProvider time)
{
    private const int SessionBatch = 1000;

    public TimeSpan Retention => pruning.Value.Retention ?? lifetimes.Value.RefreshTokenLifetime;

    public async Task<PruneResult> PruneAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var now = time.GetUtcNow();
        var threshold = now - Retention;

        // Registered clients first: whether one ever signed someone in is read from tokens and authorizations this run may remove.
        var removedClients = await unusedClients.PruneAsync(now, cancellationToken) + await unusedDocumentClients.PruneAsync(now, cancellationToken);

        // Tokens next: an authorization is only removable once no token points at it.
        var removedTokens = await tokens.PruneAsync(threshold, cancellationToken);
        var removedAuthorizations = await authorizations.PruneAsync(threshold, cancellationToken);
        var removedSessions = await PruneSessionsAsync(now, cancellationToken);
        var removedEvents = await audit.PruneAsync(now - pruning.Value.AuditRetention, cancellationToken);
        await passkeyChallenges.PruneAsync(now, cancellationToken);
        return new PruneResult(removedTokens, removedAuthorizations, removedSessions, clock.Elapsed, removedClients, removedEvents);
    }

    private async Task<long> PruneSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        long removed = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = await db.Sessions.AsNoTracking()
                .Where(s => s.ExpiresAt < now || s.AbsoluteExpiresAt < now)
                .Select(s => s.Id).Take(SessionBatch).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            // An expired session's grants keep their own lifetimes; only the link goes (and its apps are told).
            removed += await sessions.EndExpiredAsync(batch, cancellationToken);
        }

        // Links whose authorization was pruned above.
        await db.SessionGrants
            .Where(g => !db.Set<OpenIddictEntityFrameworkCoreAuthorization>().Any(a => a.Id == g.AuthorizationId))
            .ExecuteDeleteAsync(cancellationToken);
        return removed;
    }
}
