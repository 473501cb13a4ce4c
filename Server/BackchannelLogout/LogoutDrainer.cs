using IdentityServer.Data;
using IdentityServer.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityServer.BackchannelLogout;

internal sealed record DrainResult(int Delivered, int Retrying, int GivenUp);

/// <summary>
/// Sends the notifications that are due. Rows are claimed with one conditional UPDATE (only rows still due
/// move), so instances sharing one database never send the same row twice at once; a claim lapses after
/// <see cref="BackchannelLogoutOptions.ClaimLease"/>, so a sender that dies mid-run loses nothing.
/// </summary>
internal sealed partial class LogoutDrainer(
    ApplicationDbContext db, LogoutSender sender, IOptions<BackchannelLogoutOptions> options, TimeProvider time, ServerMetrics metrics, ILogger<LogoutDrainer> logger)
{
    /// <summary>One batch: claim what is due, send it, record the outcome.</summary>
    public async Task<DrainResult> DrainOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var claimed = await ClaimAsync(settings, ct);
        if (claimed.Count == 0)
        {
            return new DrainResult(0, 0, 0);
        }

        var results = new DeliveryResult[claimed.Count];
        await Parallel.ForAsync(0, claimed.Count, new ParallelOptions { MaxDegreeOfParallelism = BackchannelLogoutOptions.Parallelism, CancellationToken = ct },
            async (i, token) => results[i] = await sender.SendAsync(claimed[i], token));

        int delivered = 0, retrying = 0, givenUp = 0;
        for (var i = 0; i < claimed.Count; i++)
        {
            var notice = claimed[i];
            var attempts = notice.Attempts + 1;
            var mine = db.BackchannelLogoutNotices.Where(n => n.Id == notice.Id && n.ClaimToken == notice.ClaimToken);
            if (results[i] == DeliveryResult.Delivered)
            {
                delivered++;
                metrics.LogoutDelivery(notice.ClientId, "delivered");
                await mine.ExecuteDeleteAsync(ct);
            }
            else if (results[i] == DeliveryResult.Refused || attempts >= settings.MaxAttempts)
            {
                givenUp++;
                metrics.LogoutDelivery(notice.ClientId, "given_up");
                LogGaveUp(notice.Id, notice.ClientId, attempts, new DateTimeOffset(notice.CreatedAt, TimeSpan.Zero));
                await mine.ExecuteDeleteAsync(ct);
            }
            else
            {
                retrying++;
                metrics.LogoutDelivery(notice.ClientId, "retrying");
                var next = (time.GetUtcNow() + settings.RetryDelay(attempts)).UtcTicks;
                await mine.ExecuteUpdateAsync(n => n.SetProperty(x => x.Attempts, attempts).SetProperty(x => x.NextAttemptAt, next).SetProperty(x => x.ClaimToken, (string?)null), ct);
            }
        }

        return new DrainResult(delivered, retrying, givenUp);
    }

    /// <summary>Drains batch after batch until nothing is due (or a batch comes back short).</summary>
    public async Task<DrainResult> DrainAsync(CancellationToken ct)
    {
        var total = new DrainResult(0, 0, 0);
        while (true)
        {
            var batch = await DrainOnceAsync(ct);
            total = new DrainResult(total.Delivered + batch.Delivered, total.Retrying + batch.Retrying, total.GivenUp + batch.GivenUp);
            if (batch.Delivered + batch.Retrying + batch.GivenUp < options.Value.BatchSize)
            {
                return total;
            }
        }
    }

    private async Task<List<BackchannelLogoutNotice>> ClaimAsync(BackchannelLogoutOptions settings, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var nowTicks = now.UtcTicks;
        var leaseEnd = (now + settings.ClaimLease).UtcTicks;
        var claim = Guid.NewGuid().ToString("N");
        var due = db.BackchannelLogoutNotices.Where(n => n.NextAttemptAt <= nowTicks).OrderBy(n => n.NextAttemptAt).Select(n => n.Id).Take(settings.BatchSize);

        // The outer condition is checked again against a row another instance has just claimed (PostgreSQL
        // re-reads a row updated under it), so a row is claimed once however many instances try.
        var count = await db.BackchannelLogoutNotices.Where(n => due.Contains(n.Id) && n.NextAttemptAt <= nowTicks)
            .ExecuteUpdateAsync(n => n.SetProperty(x => x.ClaimToken, claim).SetProperty(x => x.NextAttemptAt, leaseEnd), ct);
        return count == 0 ? [] : await db.BackchannelLogoutNotices.AsNoTracking().Where(n => n.ClaimToken == claim).ToListAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Back-channel logout {NoticeId} to client {ClientId} given up after {Attempts} attempt(s); queued at {QueuedAt:o}")]
    private partial void LogGaveUp(long noticeId, string clientId, int attempts, DateTimeOffset queuedAt);
}
