using IdentityServer.Accounts.Email;
using IdentityServer.Audit;
using IdentityServer.Data;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Admin.Users;

/// <summary>
/// Searches, reads, creates, updates and deletes accounts; locks and unlocks them; resets their second factor;
/// forces a password reset. Whatever takes access away takes it at once: the security stamp moves, every session
/// ends (back-channel logout queued) and every refresh token and grant is revoked. Users declared in configuration
/// are read-only here, except for lock, unlock and 2FA reset. Every write is audited with its actor and the fields before and after (never a secret).
/// </summary>
internal sealed class AdminUsers(UserManager<ApplicationUser> users, UserViews views, SessionManager sessions, AccountEmails emails, UserRules rules,
    AuditTrail audit, TimeProvider time)
{
    public const string Setting = "IdentityServer:Users";

    private const string Resource = "user";

    public async Task<Page<UserView>> SearchAsync(PageRequest page, CancellationToken ct)
    {
        var rows = users.Users.AsNoTracking();
        if (page.Query is { } q)
        {
            var upper = q.ToUpperInvariant();
            rows = rows.Where(u => u.NormalizedUserName!.Contains(upper) || (u.NormalizedEmail != null && u.NormalizedEmail.Contains(upper))
                || (u.Name != null && u.Name.Contains(q)));
        }

        var total = await rows.CountAsync(ct);
        var found = await rows.OrderBy(u => u.NormalizedUserName).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        var configured = await views.ConfiguredAsync(found.Select(u => u.UserName!), ct);
        var items = new List<UserView>(found.Count);
        foreach (var user in found)
        {
            items.Add(await views.ViewAsync(user, configured.Contains(user.UserName!)));
        }

        return new Page<UserView>(items, page.Page, page.PageSize, total);
    }

    public async Task<UserView?> FindAsync(string id, CancellationToken ct) =>
        await users.FindByIdAsync(id) is { } user ? await views.ViewAsync(user, await views.IsConfiguredAsync(user, ct)) : null;

    public async Task<AdminResult<UserView>> CreateAsync(UserInput input, AdminActor actor, CancellationToken ct)
    {
        if (UserRules.Check(input, creating: true) is { Count: > 0 } errors)
        {
            return new AdminResult<UserView>.Invalid(errors);
        }

        if (await users.FindByNameAsync(input.UserName!) is not null)
        {
            return new AdminResult<UserView>.Conflict($"The user name '{input.UserName}' is taken.");
        }

        var user = new ApplicationUser { UserName = input.UserName, Email = input.Email, Name = input.Name, EmailConfirmed = input.EmailConfirmed, UpdatedAt = time.GetUtcNow() };
        var created = input.Password is { Length: > 0 } password ? await users.CreateAsync(user, password) : await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            return new AdminResult<UserView>.Invalid(UserRules.Errors(created));
        }

        if (await rules.SetRolesAsync(user, input.Roles) is { Succeeded: false } roleResult)
        {
            return new AdminResult<UserView>.Invalid(UserRules.Errors(roleResult));
        }

        var view = await views.ViewAsync(user, configured: false);
        await RecordAsync("created", user, actor, null, view, ct);
        return new AdminResult<UserView>.Done(view);
    }

    public async Task<AdminResult<UserView>> UpdateAsync(string id, UserInput input, AdminActor actor, CancellationToken ct)
    {
        var (user, refusal) = await WritableAsync<UserView>(id, ct);
        if (user is null)
        {
            return refusal!;
        }

        if (UserRules.Check(input, creating: false) is { Count: > 0 } errors)
        {
            return new AdminResult<UserView>.Invalid(errors);
        }

        var before = await views.ViewAsync(user, configured: false);
        if (user.Id == actor.UserId && before.Roles.Contains(AdminOptions.Role) && !input.Roles.Contains(AdminOptions.Role, StringComparer.OrdinalIgnoreCase))
        {
            return new AdminResult<UserView>.Conflict("You cannot take the admin role from yourself; ask another administrator.");
        }

        var emailChanged = !string.Equals(user.Email, input.Email, StringComparison.OrdinalIgnoreCase);
        user.Email = input.Email;
        user.Name = input.Name;
        user.EmailConfirmed = input.EmailConfirmed;
        user.UpdatedAt = time.GetUtcNow();
        var updated = await users.UpdateAsync(user);
        if (updated.Succeeded && emailChanged)
        {
            // A changed address is a changed way in (password reset mails go there): old cookies and grants stop.
            updated = await users.UpdateSecurityStampAsync(user);
        }

        if (updated.Succeeded)
        {
            updated = await rules.SetRolesAsync(user, input.Roles);
        }

        if (!updated.Succeeded)
        {
            return new AdminResult<UserView>.Invalid(UserRules.Errors(updated));
        }

        var after = await views.ViewAsync(user, configured: false);
        await RecordAsync("updated", user, actor, before, after, ct);
        return new AdminResult<UserView>.Done(after);
    }

    public Task<AdminResult<UserActionResult>> LockAsync(string id, AdminActor actor, CancellationToken ct) =>
        ActAsync(id, actor, "locked", refuseSelf: true, declaredToo: true, async user =>
        {
            await users.SetLockoutEnabledAsync(user, true);
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
            return await EndEverythingAsync(user, ct);
        }, ct);

    public Task<AdminResult<UserActionResult>> UnlockAsync(string id, AdminActor actor, CancellationToken ct) =>
        ActAsync(id, actor, "unlocked", refuseSelf: false, declaredToo: true, async user =>
        {
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
            return (0, null);
        }, ct);

    /// <summary>Second factor off, a new authenticator key (the old app's codes stop), no recovery codes, every session ended.</summary>
    public Task<AdminResult<UserActionResult>> ResetTwoFactorAsync(string id, AdminActor actor, CancellationToken ct) =>
        ActAsync(id, actor, "twofactor_reset", refuseSelf: false, declaredToo: true, async user =>
        {
            await users.SetTwoFactorEnabledAsync(user, false);
            await users.ResetAuthenticatorKeyAsync(user);
            await users.RemoveAuthenticationTokenAsync(user, "[AspNetUserStore]", "RecoveryCodes");
            return await EndEverythingAsync(user, ct);
        }, ct);

    /// <summary>
    /// The password is removed (the old one no longer signs in), every session ends, and the person is sent the
    /// reset-password email when their address is confirmed; they choose a new password through its link.
    /// </summary>
    public Task<AdminResult<UserActionResult>> ForcePasswordResetAsync(string id, AdminActor actor, CancellationToken ct) =>
        ActAsync(id, actor, "password_reset_forced", refuseSelf: true, declaredToo: false, async user =>
        {
            if (await users.HasPasswordAsync(user))
            {
                await users.RemovePasswordAsync(user);
            }

            var (ended, _) = await EndEverythingAsync(user, ct);
            var sent = user.Email is not null && await users.IsEmailConfirmedAsync(user);
            if (sent)
            {
                await emails.SendPasswordResetAsync(user);
            }

            return (ended, sent);
        }, ct);

    public async Task<AdminResult<UserView>> DeleteAsync(string id, AdminActor actor, CancellationToken ct)
    {
        var (user, refusal) = await WritableAsync<UserView>(id, ct);
        if (user is null)
        {
            return refusal!;
        }

        if (user.Id == actor.UserId)
        {
            return new AdminResult<UserView>.Conflict("You cannot delete your own account here.");
        }

        var before = await views.ViewAsync(user, configured: false);
        await sessions.EndAllExceptAsync(user.Id, keepSessionId: null, ct);
        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded)
        {
            return new AdminResult<UserView>.Invalid(UserRules.Errors(deleted));
        }

        await RecordAsync("deleted", user, actor, before, null, ct);
        return new AdminResult<UserView>.Done(before);
    }

    /// <param name="declaredToo">
    /// Whether the action applies to users configuration declares. Locking, unlocking and resetting 2FA do: configuration
    /// declares neither lockout nor a second factor, so the seeder never undoes them. A forced password reset does not:
    /// the seeder would put the declared password back at the next start.
    /// </param>
    private async Task<AdminResult<UserActionResult>> ActAsync(string id, AdminActor actor, string verb, bool refuseSelf, bool declaredToo,
        Func<ApplicationUser, Task<(int Ended, bool? Sent)>> act, CancellationToken ct)
    {
        var (user, refusal) = await WritableAsync<UserActionResult>(id, ct);
        if (user is null && (!declaredToo || refusal is not AdminResult<UserActionResult>.ManagedByConfiguration))
        {
            return refusal!;
        }

        user ??= (await users.FindByIdAsync(id))!;

        if (refuseSelf && user.Id == actor.UserId)
        {
            return new AdminResult<UserActionResult>.Conflict("You cannot do this to your own account here; ask another administrator.");
        }

        var configured = refusal is not null;
        var before = await views.ViewAsync(user, configured);
        var (ended, sent) = await act(user);
        var after = await views.ViewAsync(user, configured);
        await RecordAsync(verb, user, actor, before, after, ct);
        return new AdminResult<UserActionResult>.Done(new UserActionResult(after, ended, sent));
    }

    /// <summary>Cookies stop validating (new stamp), sessions end, and every grant and refresh token of the person's is revoked.</summary>
    private async Task<(int, bool?)> EndEverythingAsync(ApplicationUser user, CancellationToken ct)
    {
        await users.UpdateSecurityStampAsync(user);
        return (await sessions.EndAllExceptAsync(user.Id, keepSessionId: null, ct), null);
    }

    private async Task<(ApplicationUser? User, AdminResult<T>? Refusal)> WritableAsync<T>(string id, CancellationToken ct)
    {
        if (await users.FindByIdAsync(id) is not { } user)
        {
            return (null, new AdminResult<T>.NotFound());
        }

        return await views.IsConfiguredAsync(user, ct) ? (null, new AdminResult<T>.ManagedByConfiguration(Setting)) : (user, null);
    }

    private Task RecordAsync(string verb, ApplicationUser user, AdminActor actor, UserView? before, UserView? after, CancellationToken ct) =>
        audit.RecordAsync(new AuditRecord(AuditEventTypes.Admin(Resource, verb))
        {
            UserId = user.Id,
            UserName = user.UserName,
            Actor = actor.Name,
            Details = new { before, after },
        }, ct);
}
