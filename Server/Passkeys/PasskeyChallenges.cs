using System.Security.Cryptography;
using System.Text;
using IdentityServer.Data;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityServer.Passkeys;

/// <summary>
/// Makes each passkey challenge answerable once. Identity keeps the pending challenge in the browser's protected
/// two-factor cookie and clears it after use, but a client that kept a copy of the cookie could send it, and the
/// same signed answer, again; authenticators that report a signature counter of zero would not catch that.
/// The first answer inserts the challenge's hash; a second one hits the key, on any instance.
/// </summary>
internal sealed class PasskeyChallenges(ApplicationDbContext db, IOptions<PasskeyOptions> options,
    IOptionsMonitor<CookieAuthenticationOptions> cookies, TimeProvider time)
{
    /// <summary>False when the challenge was answered before (or the answer names none).</summary>
    public async Task<bool> TryConsumeAsync(string? challenge)
    {
        if (string.IsNullOrEmpty(challenge))
        {
            return false;
        }

        // The row must outlive every copy of the cookie that carries the challenge.
        var lifetime = Max(options.Value.Timeout, cookies.Get(IdentityConstants.TwoFactorUserIdScheme).ExpireTimeSpan) + TimeSpan.FromMinutes(1);
        var row = new UsedPasskeyChallenge
        {
            Id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(challenge))),
            ExpiresAt = (time.GetUtcNow() + lifetime).UtcTicks,
        };
        db.UsedPasskeyChallenges.Add(row);
        try
        {
            await db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
        finally
        {
            db.Entry(row).State = EntityState.Detached;
        }
    }

    /// <summary>Removes the rows of challenges that can no longer be answered.</summary>
    public Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        db.UsedPasskeyChallenges.Where(c => c.ExpiresAt < now.UtcTicks).ExecuteDeleteAsync(cancellationToken);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
