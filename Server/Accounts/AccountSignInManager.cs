using System.Globalization;
using System.Security.Claims;
using IdentityServer.Audit;
using IdentityServer.Data;
using IdentityServer.Passkeys;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityServer.Accounts;

/// <summary>
/// The one sign-in decision for every way in (password, second factor, recovery code, external provider, passkey):
/// Identity's lockout, confirmed-email and two-factor rules, then a new session row and id, with the instant
/// of this authentication recorded in it. A cookie from before the sign-in is anonymous afterwards.
/// </summary>
internal sealed partial class AccountSignInManager(
    UserManager<ApplicationUser> users,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation,
    UnknownUserPasswordCheck unknownUser,
    AuditTrail audit,
    PasskeyChallenges challenges,
    UserPasskeys passkeys,
    TimeProvider time)
    : SignInManager<ApplicationUser>(users, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>Set on a request where the person has just proved a second factor outside a sign-in (enrolling TOTP).</summary>
    public const string SecondFactorProvedItem = "IdentityServer.Accounts.SecondFactorProved";

    private const string AmrClaim = "amr";

    /// <summary>The account a sign-in name means: a user name first, then an email.</summary>
    public async Task<ApplicationUser?> FindByLoginAsync(string login) =>
        await UserManager.FindByNameAsync(login)
        ?? (login.Contains('@', StringComparison.Ordinal) ? await UserManager.FindByEmailAsync(login) : null);

    /// <summary>
    /// A password sign-in that answers an unknown user, a wrong password and a locked account alike — each pays
    /// one password hash — and says "not allowed" (unconfirmed email) only once the password is proven.
    /// </summary>
    public async Task<SignInResult> PasswordSignInUniformAsync(ApplicationUser? user, string login, string password)
    {
        if (user is null)
        {
            unknownUser.Spend(password);
            await audit.RecordAsync(new AuditRecord(AuditEventTypes.SignInFailed) { UserName = login, Reason = "unknown_user" });
            return SignInResult.Failed;
        }

        var locked = await IsLockedOut(user);
        var valid = await UserManager.CheckPasswordAsync(user, password);
        if (locked)
        {
            await RecordFailureAsync(user, "locked_out");
            return SignInResult.LockedOut;
        }

        if (!valid)
        {
            await RecordFailureAsync(user, "wrong_password");
            await UserManager.AccessFailedAsync(user);
            return await IsLockedOut(user) ? SignInResult.LockedOut : SignInResult.Failed;
        }

        if (!await CanSignInAsync(user))
        {
            await RecordFailureAsync(user, "email_not_confirmed");
            return SignInResult.NotAllowed;
        }

        await ResetLockout(user);
        return await SignInOrTwoFactorAsync(user, isPersistent: false);
    }

    /// <summary>
    /// An account made from a provider that asserted no verified email has no email to confirm; the provider
    /// authenticated the person, so the confirmed-email rule does not lock it out.
    /// </summary>
    public override async Task<bool> CanSignInAsync(ApplicationUser user) =>
        await base.CanSignInAsync(user)
        || (user.Email is null && user.PasswordHash is null && !Options.SignIn.RequireConfirmedPhoneNumber && !Options.SignIn.RequireConfirmedAccount);

    public override async Task SignInWithClaimsAsync(ApplicationUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        authenticationProperties ??= new AuthenticationProperties();
        var claims = additionalClaims.ToList();

        // A re-issued sign-in (RefreshSignInAsync) passes the session's own properties, which carry the
        // instant; anything else is an interactive authentication happening now.
        var interactive = DatabaseTicketStore.AuthenticatedAt(authenticationProperties) is null;
        if (interactive)
        {
            authenticationProperties.Items[DatabaseTicketStore.AuthenticatedAtItem] =
                time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }

        RecordMethods(authenticationProperties, claims);
        await EndCurrentSessionAsync(user);
        await base.SignInWithClaimsAsync(user, authenticationProperties, claims);
        if (interactive)
        {
            var methods = SessionAuthentication.From(authenticationProperties).Methods;
            await audit.RecordAsync(new AuditRecord(AuditEventTypes.SignInSucceeded) { UserId = user.Id, UserName = user.UserName, Reason = string.Join('+', methods) });
        }
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        return await RecordFailureAsync(user, result, "wrong_code");
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        return await RecordFailureAsync(user, result, "wrong_recovery_code");
    }

    /// <summary>A provider's sign-in refused for the linked account (locked, not allowed); an unlinked identity is no account's failure.</summary>
    public override async Task<SignInResult> ExternalLoginSignInAsync(string loginProvider, string providerKey, bool isPersistent, bool bypassTwoFactor)
    {
        var result = await base.ExternalLoginSignInAsync(loginProvider, providerKey, isPersistent, bypassTwoFactor);
        if (result.IsLockedOut || result.IsNotAllowed)
        {
            await RecordFailureAsync(await UserManager.FindByLoginAsync(loginProvider, providerKey), result, loginProvider);
        }

        return result;
    }

    private async Task<SignInResult> RecordFailureAsync(ApplicationUser? user, SignInResult result, string reason)
    {
        if (user is not null && !result.Succeeded && !result.RequiresTwoFactor)
        {
            await RecordFailureAsync(user, result.IsLockedOut ? "locked_out" : result.IsNotAllowed ? "not_allowed" : reason);
        }

        return result;
    }

    private Task RecordFailureAsync(ApplicationUser user, string reason) =>
        audit.RecordAsync(new AuditRecord(AuditEventTypes.SignInFailed) { UserId = user.Id, UserName = user.UserName, Reason = reason });

    /// <summary>
    /// Records how the person authenticated, from the claims Identity adds (<c>amr</c> pwd / mfa, and the
    /// provider of an external sign-in). A re-issued sign-in keeps what its session recorded, unless the person
    /// has just proved a second factor on this request (<see cref="SecondFactorProvedItem"/>, TOTP enrolment).
    /// </summary>
    private void RecordMethods(AuthenticationProperties properties, List<Claim> claims)
    {
        var session = SessionAuthentication.From(properties);
        var proved = Context.Items.Remove(SecondFactorProvedItem);
        if (properties.Items.ContainsKey(SessionAuthentication.MethodsItem) && !proved)
        {
            return;
        }

        var provider = claims.FirstOrDefault(c => c.Type == ClaimTypes.AuthenticationMethod)?.Value;
        var first = session.Methods.Count > 0 ? session.Methods[0]
            : provider is null || provider == AuthenticationMethods.Password ? AuthenticationMethods.Password
            : provider == AuthenticationMethods.HardwareKey ? AuthenticationMethods.HardwareKey : AuthenticationMethods.External;
        var secondFactor = proved || session.HasSecondFactor || claims.Any(c => c.Type == AmrClaim && c.Value == AuthenticationMethods.MultiFactor);
        var secondFactorAt = proved ? time.GetUtcNow() : session.SecondFactorAt ?? (secondFactor ? session.At : null);
        SessionAuthentication.Record(properties, AuthenticationMethods.Of(first, secondFactor), secondFactorAt);
    }

    /// <summary>
    /// Signs the browser's current session out (the same person's apps move to the new session; someone
    /// else's are revoked with it) and gives the request a fresh cookie handler, which then stores a new row.
    /// </summary>
    private async Task EndCurrentSessionAsync(ApplicationUser user)
    {
        var current = await Context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (DatabaseTicketStore.CurrentSessionId(Context) is null)
        {
            return;
        }

        if (current.Succeeded && UserManager.GetUserId(current.Principal) == user.Id)
        {
            Context.Items[DatabaseTicketStore.CarryGrantsItem] = true;
        }

        await Context.SignOutAsync(IdentityConstants.ApplicationScheme);
        await Context.RequestServices.GetRequiredService<SessionHandlerProvider>().ReplaceAsync(Context, IdentityConstants.ApplicationScheme);
    }
}
