using IdentityServer.Data;

namespace IdentityServer.Keys;

internal enum KeyState
{
    /// <summary>In the JWKS, not signing yet: APIs learn it before any token carries its kid.</summary>
    Announced,

    /// <summary>Signs new tokens.</summary>
    Active,

    /// <summary>Replaced; still in the JWKS so the tokens it signed keep validating.</summary>
    Retired,
}

/// <summary>A key and its state at one instant; <see cref="RetiredAt"/> is when its successor took over.</summary>
internal sealed record ScheduledKey(SigningKey Row, KeyState State, DateTimeOffset ActivatesAt, DateTimeOffset? RetiredAt);

/// <param name="Published">What the JWKS holds, per algorithm: the active key, then announced ones, then retired ones.</param>
/// <param name="Expired">Retired for longer than the retention period: to be deleted.</param>
/// <param name="NextChange">When a key next changes state (an announced key activates, a retired one expires).</param>
internal sealed record KeyPlan(IReadOnlyList<ScheduledKey> Published, IReadOnlyList<SigningKey> Expired, DateTimeOffset? NextChange)
{
    public ScheduledKey? Active(string algorithm) => Published.FirstOrDefault(k => k.State == KeyState.Active && k.Row.Algorithm == algorithm);

    public bool HasAnnounced(string algorithm) => Published.Any(k => k.State == KeyState.Announced && k.Row.Algorithm == algorithm);
}

/// <summary>
/// The states of the signing keys, computed from their rows and the clock alone, so every instance reading the
/// same table at the same time agrees. Per algorithm, keys are ordered by activation (then creation, then kid):
/// the last one whose activation has passed is active, later ones are announced, earlier ones are retired from
/// their successor's activation and expire a retention period after it.
/// </summary>
internal static class KeySchedule
{
    public static KeyPlan Arrange(IEnumerable<SigningKey> rows, DateTimeOffset now, TimeSpan retention)
    {
        var published = new List<ScheduledKey>();
        var expired = new List<SigningKey>();
        DateTimeOffset? next = null;
        void Next(DateTimeOffset at) => next = next is { } n && n <= at ? n : at;

        foreach (var algorithm in rows.GroupBy(r => r.Algorithm, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = algorithm.OrderBy(r => r.ActivatesAt).ThenBy(r => r.CreatedAt).ThenBy(r => r.Kid, StringComparer.Ordinal).ToList();

            // Before any activation has passed (a clock set back), the earliest key signs rather than none.
            var active = Math.Max(0, ordered.FindLastIndex(r => r.ActivatesAt <= now.UtcTicks));
            var group = new List<ScheduledKey> { new(ordered[active], KeyState.Active, At(ordered[active].ActivatesAt), null) };
            foreach (var announced in ordered.Skip(active + 1))
            {
                group.Add(new ScheduledKey(announced, KeyState.Announced, At(announced.ActivatesAt), null));
                Next(At(announced.ActivatesAt));
            }

            for (var i = active - 1; i >= 0; i--)
            {
                var retiredAt = At(ordered[i + 1].ActivatesAt);
                if (retiredAt + retention <= now)
                {
                    expired.Add(ordered[i]);
                }
                else
                {
                    group.Add(new ScheduledKey(ordered[i], KeyState.Retired, At(ordered[i].ActivatesAt), retiredAt));
                    Next(retiredAt + retention);
                }
            }

            published.AddRange(group);
        }

        // The active keys lead: OpenIddict signs with the first credential (identity tokens with the first RSA one).
        var sorted = published.OrderBy(k => k.State switch { KeyState.Active => 0, KeyState.Announced => 1, _ => 2 })
            .ThenBy(k => k.Row.Algorithm == "RS256" ? 0 : 1).ToList();
        return new KeyPlan(sorted, expired, next);
    }

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);
}
