using IdentityServer.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Keys;

/// <summary>A published signing key, opened, with its state.</summary>
internal sealed record RingKey(ScheduledKey Schedule, AsymmetricSecurityKey Key)
{
    public string Kid => Schedule.Row.Kid;

    public string Algorithm => Schedule.Row.Algorithm;
}

/// <summary>
/// Every instance's in-memory copy of the signing keys, read from the <c>SigningKeys</c> table. It is reloaded
/// when a key's state is due to change and at least once a minute (<see cref="KeyRingRefresh"/>), so a key one
/// instance creates reaches all of them within a minute, without a restart. When the published set or its
/// states change, OpenIddict's server options are rebuilt (new JWKS, new signing key), then the validation
/// options that copy their keys.
/// </summary>
internal sealed partial class KeyRing(IServiceScopeFactory scopes, IDataProtectionProvider protection, IOptions<KeyRotationOptions> options,
    TimeProvider time, ILogger<KeyRing> logger) : IDisposable
{
    public static readonly TimeSpan MaxStaleness = TimeSpan.FromMinutes(1);

    private readonly IDataProtector protector = protection.CreateProtector(KeyMaterial.Purpose);
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private Dictionary<string, AsymmetricSecurityKey> opened = new(StringComparer.Ordinal);
    private CancellationTokenSource serverChanged = new();
    private CancellationTokenSource validationChanged = new();

    public IReadOnlyList<RingKey> Keys { get; private set; } = [];

    /// <summary>When the ring should next be read from the database.</summary>
    public DateTimeOffset NextCheck { get; private set; } = DateTimeOffset.MinValue;

    public IChangeToken ServerChanges => new CancellationChangeToken(serverChanged.Token);

    public IChangeToken ValidationChanges => new CancellationChangeToken(validationChanged.Token);

    /// <summary>Reads the keys; true when what is published or what signs changed. A reader that finds another refresh running returns at once.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken, bool wait = true)
    {
        if (!await refreshing.WaitAsync(wait ? Timeout.InfiniteTimeSpan : TimeSpan.Zero, cancellationToken))
        {
            return false;
        }

        try
        {
            var now = time.GetUtcNow();
            List<SigningKey> rows;
            await using (var scope = scopes.CreateAsyncScope())
            {
                rows = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().SigningKeys.AsNoTracking().ToListAsync(cancellationToken);
            }

            var plan = KeySchedule.Arrange(rows, now, options.Value.RetentionPeriod);
            var keys = plan.Published.Select(k => new RingKey(k, opened.TryGetValue(k.Row.Kid, out var key) ? key : KeyMaterial.Open(k.Row, protector))).ToList();
            var next = now + MaxStaleness;
            NextCheck = plan.NextChange is { } change && change < next ? change : next;
            var described = keys.Select(Describe).ToList();
            if (described.SequenceEqual(Keys.Select(Describe), StringComparer.Ordinal))
            {
                return false;
            }

            opened = keys.ToDictionary(k => k.Kid, k => k.Key, StringComparer.Ordinal);
            Keys = keys;
            LogChanged(described);
            Signal(ref serverChanged);
            Signal(ref validationChanged);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException && Keys.Count > 0)
        {
            // The keys in memory stay in use; the next request after a minute tries again.
            NextCheck = time.GetUtcNow() + MaxStaleness;
            LogRefreshFailed(e);
            return false;
        }
        finally
        {
            refreshing.Release();
        }
    }

    public void Dispose()
    {
        refreshing.Dispose();
        serverChanged.Dispose();
        validationChanged.Dispose();
    }

    private static string Describe(RingKey key) => $"{key.Algorithm} {key.Kid} {key.Schedule.State}";

    /// <summary>The new source first, then the old one cancelled: the options monitor re-subscribes to the new one.</summary>
    private static void Signal(ref CancellationTokenSource source)
    {
        var old = Interlocked.Exchange(ref source, new CancellationTokenSource());
        old.Cancel();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing keys now published: {Keys}")]
    private partial void LogChanged(IReadOnlyList<string> keys);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the signing keys failed; the keys in memory stay in use")]
    private partial void LogRefreshFailed(Exception exception);
}
