using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Data;

/// <summary>A lease in the shared database, so a job runs on one instance per period across a cluster.</summary>
internal sealed class JobLeases(ApplicationDbContext db, TimeProvider time)
{
    public static readonly string Instance = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public async Task<bool> TryAcquireAsync(string name, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        var until = now + duration.Ticks;
        if (!await db.JobLeases.AnyAsync(l => l.Name == name, cancellationToken))
        {
            try
            {
                db.JobLeases.Add(new JobLease { Name = name, Holder = "", ExpiresAt = 0 });
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance created it at the same moment: fine, compete for it below.
            }

            db.ChangeTracker.Clear();
        }

        var won = await db.JobLeases.Where(l => l.Name == name && l.ExpiresAt <= now)
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.Holder, Instance).SetProperty(x => x.ExpiresAt, until), cancellationToken);
        return won == 1;
    }
}
