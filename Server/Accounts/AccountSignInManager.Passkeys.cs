using System.Security.Claims;
using IdentityServer.Audit;
using IdentityServer.Data;
using IdentityServer.Passkeys;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Accounts;

/// <summary>
/// Passkeys through Identity's handler, with what this server adds: each challenge answers once
/// (<see cref="PasskeyChallenges"/>), a missing or expired ceremony is a failure rather than an exception, and a
/// passkey sign-in records <c>hwk user</c> (and <c>mfa</c> when the authenticator verified the user) instead of
/// Identity's <c>pwd</c>, through the same session decision as every other way in.
/// </summary>
internal sealed partial class AccountSignInManager
{
    public const string Replayed = "This passkey challenge was already answered. Start again.";
    public const string NoCeremony = "No passkey request is under way in this browser, or it expired. Start again.";
    public const string Ambiguous = "The passkey answer names a field twice; it was not checked.";

    public override async Task<PasskeyAttestationResult> PerformPasskeyAttestationAsync(string credentialJson)
    {
        var read = PasskeyCredentialJson.Read(credentialJson);
        if (read.Ambiguous)
        {
            return PasskeyAttestationResult.Fail(new PasskeyException(Ambiguous));
        }

        PasskeyAttestationResult result;
        try
        {
            result = await base.PerformPasskeyAttestationAsync(credentialJson);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return PasskeyAttestationResult.Fail(new PasskeyException(NoCeremony));
        }

        return !result.Succeeded || await challenges.TryConsumeAsync(read.Challenge)
            ? result
            : PasskeyAttestationResult.Fail(new PasskeyException(Replayed));
    }

    public override async Task<PasskeyAssertionResult<ApplicationUser>> PerformPasskeyAssertionAsync(string credentialJson)
    {
        var read = PasskeyCredentialJson.Read(credentialJson);
        if (read.Ambiguous)
        {
            return PasskeyAssertionResult.Fail<ApplicationUser>(new PasskeyException(Ambiguous));
        }

        PasskeyAssertionResult<ApplicationUser> result;
        try
        {
            result = await base.PerformPasskeyAssertionAsync(credentialJson);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return PasskeyAssertionResult.Fail<ApplicationUser>(new PasskeyException(NoCeremony));
        }

        return !result.Succeeded || await challenges.TryConsumeAsync(read.Challenge)
            ? result
            : PasskeyAssertionResult.Fail<ApplicationUser>(new PasskeyException(Replayed));
    }

    /// <summary>
    /// A passkey proves the account by itself (no user name, no second step); a locked or unconfirmed account is
    /// refused like any other way in, and the sign-in opens a new session.
    /// </summary>
    public override async Task<SignInResult> PasskeySignInAsync(string credentialJson)
    {
        var assertion = await PerformPasskeyAssertionAsync(credentialJson);
        if (!assertion.Succeeded || assertion.User is not { } user || assertion.Passkey is not { } passkey)
        {
            LastPasskeyFailure = assertion.Failure?.Message;
            var named = PasskeyCredentialJson.Read(credentialJson).UserHandle is { Length: <= 450 } handle ? await UserManager.FindByIdAsync(handle) : null;
            await audit.RecordAsync(new AuditRecord(AuditEventTypes.SignInFailed)
            {
                UserId = named?.Id,
                UserName = named?.UserName,
                Reason = assertion.Failure?.Message == Replayed ? "passkey_replayed" : "passkey_refused",
            });
            return SignInResult.Failed;
        }

        if (await PreSignInCheck(user) is { } refused)
        {
            await RecordFailureAsync(user, refused.IsLockedOut ? "locked_out" : "not_allowed");
            return refused;
        }

        await UserManager.AddOrUpdatePasskeyAsync(user, passkey);
        await passkeys.MarkUsedAsync(passkey.CredentialId);
        await ResetLockout(user);

        List<Claim> claims = [new(ClaimTypes.AuthenticationMethod, AuthenticationMethods.HardwareKey)];
        if (PasskeyCredentialJson.Read(credentialJson).UserVerified)
        {
            claims.Add(new Claim(AmrClaim, AuthenticationMethods.MultiFactor));
        }

        await SignInWithClaimsAsync(user, isPersistent: false, claims);
        return SignInResult.Success;
    }

    /// <summary>Why the last passkey ceremony on this request failed, for the page to show.</summary>
    public string? LastPasskeyFailure { get; private set; }
}
