using System.Collections.Concurrent;

namespace IdentityServer.RateLimiting;

/// <summary>
/// A budget of failed attempts per key and window. ASP.NET Core's limiters admit a request before its
/// outcome is known and cannot give a permit back, so they would count successes too: here an attempt
/// reserves a failure before it runs (so concurrent attempts cannot overshoot the budget) and gives it
/// back if it succeeds. A spent budget blocks for one window, then twice as long each time it is spent
/// again, up to <c>longestBlock</c>; a quiet spell of <c>longestBlock</c> after a block forgives. Time comes
/// from <see cref="TimeProvider"/>, so tests drive it with a fake clock.
/// </summary>
internal sealed class FailureBudget(TimeProvider time, int limit, TimeSpan window, TimeSpan longestBlock)
{
    // Keys are created only by failures, which a spent budget stops; idle counters are swept past this size.
    private const int SweepAbove = 1_024;

    // Past this many keys even after a sweep, new keys go uncounted rather than grow memory without bound;
    // the other budget of the pair (address or account) and the account lockout still apply.
    private const int MaxKeys = 200_000;

    private readonly ConcurrentDictionary<string, Counter> counters = new(StringComparer.Ordinal);
    private long nextSweepTicks;

    /// <summary>Reserves one failure for an attempt about to run; false, and how long to wait, when none is left.</summary>
    public bool TryReserve(string key, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        while (Find(key, now, create: true) is { } counter)
        {
            lock (counter)
            {
                if (counter.Removed)
                {
                    continue;
                }

                counter.Roll(now, window, longestBlock);
                if (now < counter.BlockedUntil)
                {
                    retryAfter = counter.BlockedUntil - now;
                    return false;
                }

                if (counter.Failures + counter.Pending >= limit)
                {
                    retryAfter = counter.WindowEnds - now;
                    return false;
                }

                counter.Pending++;
                retryAfter = TimeSpan.Zero;
                return true;
            }
        }

        retryAfter = TimeSpan.Zero;
        return true;
    }

    /// <summary>How long the key is still blocked for, without reserving anything; null when it is not blocked.</summary>
    public TimeSpan? BlockedFor(string key)
    {
        if (!counters.TryGetValue(key, out var counter))
        {
            return null;
        }

        var now = time.GetUtcNow();
        lock (counter)
        {
            return now < counter.BlockedUntil ? counter.BlockedUntil - now : null;
        }
    }

    /// <summary>The reserved attempt succeeded: its failure is given back.</summary>
    public void Release(string key) => Settle(key, failed: false);

    /// <summary>The reserved attempt failed: it counts, and a spent budget starts a block.</summary>
    public void Fail(string key) => Settle(key, failed: true);

    private void Settle(string key, bool failed)
    {
        var now = time.GetUtcNow();
        while (Find(key, now, create: failed) is { } counter)
        {
            lock (counter)
            {
                if (counter.Removed)
                {
                    continue;
                }

                counter.Roll(now, window, longestBlock);
                counter.Pending = Math.Max(0, counter.Pending - 1);
                if (failed && ++counter.Failures >= limit && now >= counter.BlockedUntil)
                {
                    counter.Strikes++;
                    var block = window * Math.Pow(2, Math.Min(counter.Strikes - 1, 20));
                    counter.BlockedUntil = now + (block < longestBlock ? block : longestBlock);
                }

                return;
            }
        }
    }

    private Counter? Find(string key, DateTimeOffset now, bool create)
    {
        if (counters.TryGetValue(key, out var counter) || !create)
        {
            return counter;
        }

        if (counters.Count >= SweepAbove)
        {
            Sweep(now);
            if (counters.Count >= MaxKeys)
            {
                return null;
            }
        }

        return counters.GetOrAdd(key, static _ => new Counter());
    }

    private void Sweep(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref nextSweepTicks, (now + window).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var entry in counters)
        {
            lock (entry.Value)
            {
                if (entry.Value.IsIdle(now, longestBlock))
                {
                    entry.Value.Removed = true;
                    counters.TryRemove(entry);
                }
            }
        }
    }

    private sealed class Counter
    {
        public DateTimeOffset WindowEnds { get; private set; }

        public DateTimeOffset BlockedUntil { get; set; }

        public int Failures { get; set; }

        public int Pending { get; set; }

        public int Strikes { get; set; }

        public bool Removed { get; set; }

        /// <summary>Starts a new window once the last one and any block are over.</summary>
        public void Roll(DateTimeOffset now, TimeSpan window, TimeSpan longestBlock)
        {
            if (now < WindowEnds || now < BlockedUntil)
            {
                return;
            }

            if (Strikes > 0 && now - BlockedUntil >= longestBlock)
            {
                Strikes = 0;
            }

            WindowEnds = now + window;
            Failures = 0;
            Pending = 0;
        }

        public bool IsIdle(DateTimeOffset now, TimeSpan longestBlock) =>
            now >= WindowEnds && now >= BlockedUntil && (Strikes == 0 || now - BlockedUntil >= longestBlock);
    }
}
