using System.Security.Claims;
using IdentityServer.Audit;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityServer.Accounts;

/// <summary>
/// Identity's user manager, recording each change to an account's credentials in the audit trail wherever it is
/// made from (account pages, external sign-in, the admin API and console, seeding), so no way in can forget it.
/// When someone other than the account's owner makes the change, they are named as its actor.
/// </summary>
internal sealed class AuditedUserManager(
    IUserStore<ApplicationUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<ApplicationUser> passwordHasher,
    IEnumerable<IUserValidator<ApplicationUser>> userValidators,
    IEnumerable<IPasswordValidator<ApplicationUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<ApplicationUser>> logger,
    AuditTrail audit,
    IHttpContextAccessor http)
    : UserManager<ApplicationUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> CreateAsync(ApplicationUser user) =>
        await RecordAsync(await base.CreateAsync(user), AuditEventTypes.AccountCreated, user);

    public override async Task<IdentityResult> DeleteAsync(ApplicationUser user) =>
        await RecordAsync(await base.DeleteAsync(user), AuditEventTypes.AccountDeleted, user);

    public override async Task<IdentityResult> ChangePasswordAsync(ApplicationUser user, string currentPassword, string newPassword) =>
        await RecordAsync(await base.ChangePasswordAsync(user, currentPassword, newPassword), AuditEventTypes.PasswordChanged, user);

    public override async Task<IdentityResult> AddPasswordAsync(ApplicationUser user, string password) =>
        await RecordAsync(await base.AddPasswordAsync(user, password), AuditEventTypes.PasswordChanged, user, "added");

    public override async Task<IdentityResult> RemovePasswordAsync(ApplicationUser user) =>
        await RecordAsync(await base.RemovePasswordAsync(user), AuditEventTypes.PasswordChanged, user, "removed");

    public override async Task<IdentityResult> ResetPasswordAsync(ApplicationUser user, string token, string newPassword) =>
        await RecordAsync(await base.ResetPasswordAsync(user, token, newPassword), AuditEventTypes.PasswordReset, user);

    public override async Task<IdentityResult> SetTwoFactorEnabledAsync(ApplicationUser user, bool enabled) =>
        await RecordAsync(await base.SetTwoFactorEnabledAsync(user, enabled), enabled ? AuditEventTypes.TwoFactorEnabled : AuditEventTypes.TwoFactorDisabled, user);

    public override async Task<IEnumerable<string>?> GenerateNewTwoFactorRecoveryCodesAsync(ApplicationUser user, int number)
    {
        var codes = await base.GenerateNewTwoFactorRecoveryCodesAsync(user, number);
        if (codes is not null)
        {
            await RecordAsync(IdentityResult.Success, AuditEventTypes.RecoveryCodesGenerated, user);
        }

        return codes;
    }

    public override async Task<IdentityResult> ChangeEmailAsync(ApplicationUser user, string newEmail, string token) =>
        await RecordAsync(await base.ChangeEmailAsync(user, newEmail, token), AuditEventTypes.EmailChanged, user);

    public override async Task<IdentityResult> AddLoginAsync(ApplicationUser user, UserLoginInfo login) =>
        await RecordAsync(await base.AddLoginAsync(user, login), AuditEventTypes.LoginLinked, user, login.LoginProvider);

    public override async Task<IdentityResult> RemoveLoginAsync(ApplicationUser user, string loginProvider, string providerKey) =>
        await RecordAsync(await base.RemoveLoginAsync(user, loginProvider, providerKey), AuditEventTypes.LoginUnlinked, user, loginProvider);

    /// <summary>A new passkey is recorded; the same call updating a known one after each sign-in (its counter) is not.</summary>
    public override async Task<IdentityResult> AddOrUpdatePasskeyAsync(ApplicationUser user, UserPasskeyInfo passkey)
    {
        var known = await GetPasskeyAsync(user, passkey.CredentialId) is not null;
        var result = await base.AddOrUpdatePasskeyAsync(user, passkey);
        return known ? result : await RecordAsync(result, AuditEventTypes.PasskeyAdded, user, passkey.Name);
    }

    public override async Task<IdentityResult> RemovePasskeyAsync(ApplicationUser user, byte[] credentialId) =>
        await RecordAsync(await base.RemovePasskeyAsync(user, credentialId), AuditEventTypes.PasskeyRemoved, user);

    /// <summary>Every failed proof of a credential comes here (password, second factor, re-authentication); the one that locks the account is recorded.</summary>
    public override async Task<IdentityResult> AccessFailedAsync(ApplicationUser user)
    {
        var before = await IsLockedOutAsync(user);
        var result = await base.AccessFailedAsync(user);
        if (!before && result.Succeeded && await IsLockedOutAsync(user))
        {
            await RecordAsync(result, AuditEventTypes.LockedOut, user, "too_many_failures");
        }

        return result;
    }

    private async Task<IdentityResult> RecordAsync(IdentityResult result, string type, ApplicationUser user, string? reason = null)
    {
        if (result.Succeeded)
        {
            await audit.RecordAsync(new AuditRecord(type) { UserId = user.Id, UserName = user.UserName, Actor = ActorOtherThan(user), Reason = reason }, CancellationToken);
        }

        return result;
    }

    /// <summary>The signed-in person or client making the change, when that is not the account's owner.</summary>
    private string? ActorOtherThan(ApplicationUser user)
    {
        var principal = http.HttpContext?.User;
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var subject = principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? principal.FindFirstValue("sub");
        return subject == user.Id ? null : AuditActor.Of(http.HttpContext) ?? principal.Identity.Name
            ?? (principal.FindFirstValue("client_id") is { } client ? "client:" + client : subject);
    }
}
