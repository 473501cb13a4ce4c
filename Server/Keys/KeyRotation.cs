using IdentityServer.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityServer.Keys;

/// <summary>A change to the signing keys, as the rotation job logs it and the command line prints it.</summary>
internal sealed record KeyChange(string Kid, string Algorithm, string What);

/// <summary>
/// Writes the key schedule to the database: the first key of each algorithm (imported from its file when there is
/// one), each successor a propagation period before it is needed, and the deletion of keys past retention.
/// Callers hold the start-up lock or the rotation job's lease, so one instance at a time writes.
/// </summary>
internal sealed class KeyRotation(ApplicationDbContext db, IDataProtectionProvider protection, KeyFiles files, IOptions<KeyOptions> keys,
    IOptions<KeyRotationOptions> options, TimeProvider time)
{
    private readonly IDataProtector protector = protection.CreateProtector(KeyMaterial.Purpose);

    /// <summary>RS256 always (identity tokens), ES256 too when it signs access tokens.</summary>
    public IEnumerable<string> Algorithms =>
        keys.Value.AccessTokenSigningAlgorithm == SigningAlgorithm.ES256 ? [nameof(SigningAlgorithm.RS256), nameof(SigningAlgorithm.ES256)] : [nameof(SigningAlgorithm.RS256)];

    /// <summary>At start-up: every algorithm in use gets a key that signs from now, if it has none yet.</summary>
    public async Task<IReadOnlyList<KeyChange>> EnsureAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var present = await db.SigningKeys.Select(k => k.Algorithm).Distinct().ToListAsync(cancellationToken);
        var changes = new List<KeyChange>();
        foreach (var algorithm in Algorithms.Except(present))
        {
            var pem = files.ExistingSigningPem(algorithm);
            using var key = pem is null ? KeyMaterial.Generate(algorithm) : KeyMaterial.Import(algorithm, pem);
            var row = KeyMaterial.Seal(key, algorithm, protector, now, now, pem is null ? "generated" : "imported");
            db.SigningKeys.Add(row);
            changes.Add(new KeyChange(row.Kid, algorithm, pem is null ? "generated; active" : "imported from its key file; active"));
        }

        await db.SaveChangesAsync(cancellationToken);
        return changes;
    }

    /// <summary>The job's run: successors announced when due, expired keys deleted.</summary>
    public async Task<IReadOnlyList<KeyChange>> MaintainAsync(CancellationToken cancellationToken)
    {
        var changes = new List<KeyChange>(await EnsureAsync(cancellationToken));
        var now = time.GetUtcNow();
        var settings = options.Value;
        var plan = KeySchedule.Arrange(await db.SigningKeys.ToListAsync(cancellationToken), now, settings.RetentionPeriod);
        foreach (var algorithm in Algorithms)
        {
            if (plan.Active(algorithm) is { } active && !plan.HasAnnounced(algorithm) && now >= active.ActivatesAt + settings.RotationPeriod - settings.PropagationPeriod)
            {
                var due = active.ActivatesAt + settings.RotationPeriod;
                changes.Add(Add(algorithm, now, due > now + settings.PropagationPeriod ? due : now + settings.PropagationPeriod));
            }
        }

        foreach (var expired in plan.Expired)
        {
            db.SigningKeys.Remove(expired);
            changes.Add(new KeyChange(expired.Kid, expired.Algorithm, "deleted after its retention period"));
        }

        await db.SaveChangesAsync(cancellationToken);
        return changes;
    }

    /// <summary>
    /// A rotation on demand. Normally the new key is announced now and signs after the propagation period; with
    /// <paramref name="immediately"/> (a key that may be compromised) it signs at once, and APIs that cached the
    /// JWKS reject its tokens until they fetch it again.
    /// </summary>
    public async Task<IReadOnlyList<KeyChange>> RotateAsync(bool immediately, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        var now = time.GetUtcNow();
        var settings = options.Value;
        var rows = await db.SigningKeys.ToListAsync(cancellationToken);
        var plan = KeySchedule.Arrange(rows, now, settings.RetentionPeriod);
        var changes = new List<KeyChange>();
        foreach (var algorithm in Algorithms)
        {
            if (immediately)
            {
                // Announced successors go: the new key is the last to activate, so it is the one that signs.
                foreach (var pending in plan.Published.Where(k => k.State == KeyState.Announced && k.Row.Algorithm == algorithm))
                {
                    db.SigningKeys.Remove(pending.Row);
                    changes.Add(new KeyChange(pending.Row.Kid, algorithm, "announced key withdrawn"));
                }

                // Ordered after the current key even on a clock that has not moved since it was made (ties on
                // activation fall to creation), so the new key is the one that signs from now.
                var created = plan.Active(algorithm) is { } active && active.Row.CreatedAt >= now.UtcTicks ? new DateTimeOffset(active.Row.CreatedAt + 1, TimeSpan.Zero) : now;
                changes.Add(Add(algorithm, created, now));
            }
            else if (!plan.HasAnnounced(algorithm))
            {
                changes.Add(Add(algorithm, now, now + settings.PropagationPeriod));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return changes;
    }

    /// <summary>
    /// Withdraws a key at once (one believed leaked, after <c>rotate --now</c> replaced it): it leaves the JWKS on
    /// every instance within a minute, and tokens it signed stop validating. The active key cannot be withdrawn.
    /// </summary>
    public async Task<KeyChange?> RevokeAsync(string kid, CancellationToken cancellationToken)
    {
        var rows = await db.SigningKeys.ToListAsync(cancellationToken);
        var plan = KeySchedule.Arrange(rows, time.GetUtcNow(), options.Value.RetentionPeriod);
        if (rows.Find(r => r.Kid == kid) is not { } row)
        {
            return null;
        }

        if (plan.Active(row.Algorithm)?.Row.Kid == kid)
        {
            throw new InvalidOperationException($"Key {kid} is the active {row.Algorithm} key; rotate with --now first, then revoke it.");
        }

        db.SigningKeys.Remove(row);
        await db.SaveChangesAsync(cancellationToken);
        return new KeyChange(kid, row.Algorithm, "revoked: removed from the JWKS; the tokens it signed no longer validate");
    }

    private KeyChange Add(string algorithm, DateTimeOffset createdAt, DateTimeOffset activatesAt)
    {
        using var key = KeyMaterial.Generate(algorithm);
        var row = KeyMaterial.Seal(key, algorithm, protector, createdAt, activatesAt, "generated");
        db.SigningKeys.Add(row);
        return new KeyChange(row.Kid, algorithm, activatesAt <= time.GetUtcNow() ? "generated; active now" : $"generated; announced, signs from {activatesAt:u}");
    }
}
