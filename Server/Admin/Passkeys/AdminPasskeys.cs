using IdentityServer.Audit;
using IdentityServer.Data;
using IdentityServer.Passkeys;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Admin.Passkeys;

/// <summary>
/// A person's passkeys as an administrator sees them, and removing one (a lost or stolen authenticator). Removal goes
/// through <see cref="UserPasskeys"/>, so it never takes an account's last way to sign in, and through the audited user
/// manager, which records <c>account.passkey_removed</c> with the administrator as its actor; <c>admin.passkey.removed</c>
/// adds which passkey it was, as every admin write does. Users declared in configuration are not refused here:
/// configuration declares no passkeys, so seeding never puts a removed one back and nothing here would be undone.
/// </summary>
internal sealed class AdminPasskeys(UserPasskeys passkeys, UserManager<ApplicationUser> users, SessionManager sessions, AuditTrail audit)
{
    private const string Resource = "passkey";

    public async Task<AdminResult<Page<PasskeyView>>> ListAsync(string userId)
    {
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return new AdminResult<Page<PasskeyView>>.NotFound();
        }

        var items = await passkeys.ListAsync(user);
        return new AdminResult<Page<PasskeyView>>.Done(new Page<PasskeyView>(items, 1, items.Count, items.Count));
    }

    /// <summary>The passkey as it was; refused (a conflict) when it is the account's last way to sign in.</summary>
    public async Task<AdminResult<PasskeyView>> RemoveAsync(string userId, string passkeyId, AdminActor actor, CancellationToken ct)
    {
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return new AdminResult<PasskeyView>.NotFound();
        }

        if (!UserPasskeys.IsWellFormedId(passkeyId))
        {
            return AdminResult<PasskeyView>.Invalidate("passkeyId", "A passkey id is its credential id in base64url, as the list of the user's passkeys gives it.");
        }

        // Matched as listed (canonical base64url), so the audit trail names the passkey by the id the list shows.
        if ((await passkeys.ListAsync(user)).FirstOrDefault(p => p.Id == passkeyId) is not { } passkey)
        {
            return new AdminResult<PasskeyView>.NotFound();
        }

        switch (await passkeys.RemoveAsync(user, passkey.Id))
        {
            case PasskeyRemoval.Removed:
                // A lost or stolen authenticator: whatever signed in with it stops now (cookies and refresh tokens).
                await users.UpdateSecurityStampAsync(user);
                await sessions.EndAllExceptAsync(user.Id, keepSessionId: null, ct);
                await audit.RecordAsync(new AuditRecord(AuditEventTypes.Admin(Resource, "removed"))
                {
                    UserId = user.Id,
                    UserName = user.UserName,
                    Actor = actor.Name,
                    Details = new { passkey = passkey.Id, name = passkey.Name },
                }, ct);
                return new AdminResult<PasskeyView>.Done(passkey);
            case PasskeyRemoval.LastWayIn:
                return new AdminResult<PasskeyView>.Conflict(
                    "This passkey is the account's last way to sign in (it has no password and no external login); removing it would lock the person out. "
                    + "Force a password reset or let them add another passkey first.");
            default:
                return new AdminResult<PasskeyView>.NotFound();
        }
    }
}
