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

    public override Task<PasskeyAttestationResult> PerformPasskeyAttestationAsync(string credentialJson) =>
        CeremonyAsync(PasskeyCredentialJson.Read(credentialJson), () => base.PerformPasskeyAttestationAsync(credentialJson),
            r => r.Succeeded, PasskeyAttestationResult.Fail);

    public override Task<PasskeyAssertionResult<ApplicationUser>> PerformPasskeyAssertionAsync(string credentialJson) =>
        AssertAsync(credentialJson, PasskeyCredentialJson.Read(credentialJson));

    /// <summary>
    /// A passkey proves the account by itself (no user name, no second step); a locked or unconfirmed account is
    /// refused like any other way in, and the sign-in opens a new session.
    /// </summary>
    public override async Task<SignInResult> PasskeySignInAsync(string credentialJson)
    {
        var read = PasskeyCredentialJson.Read(credentialJson);
        var assertion = await AssertAsync(credentialJson, read);
        if (!assertion.Succeeded || assertion.User is not { } user || assertion.Passkey is not { } passkey)
        {
            LastPasskeyFailure = assertion.Failure?.Message;
            var named = read.UserHandle is { Length: <= 450 } handle ? await UserManager.FindByIdAsync(handle) : null;
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
            return await RecordFailureAsync(user, refused, "passkey_refused");
        }

        await UserManager.AddOrUpdatePasskeyAsync(user, passkey);
        await passkeys.MarkUsedAsync(passkey.CredentialId);
        await ResetLockout(user);

        List<Claim> claims = [new(ClaimTypes.AuthenticationMethod, AuthenticationMethods.HardwareKey)];
        if (read.UserVerified)
        {
            claims.Add(new Claim(AmrClaim, AuthenticationMethods.MultiFactor));
        }

        await SignInWithClaimsAsync(user, isPersistent: false, claims);
        return SignInResult.Success;
    }

    /// <summary>Why the last passkey ceremony on this request failed, for the page to show.</summary>
    public string? LastPasskeyFailure { get; private set; }

    private Task<PasskeyAssertionResult<ApplicationUser>> AssertAsync(string credentialJson, PasskeyCredentialJson read) =>
        CeremonyAsync(read, () => base.PerformPasskeyAssertionAsync(credentialJson), r => r.Succeeded, PasskeyAssertionResult.Fail<ApplicationUser>);

    /// <summary>
    /// What both ceremonies add to Identity's check: an ambiguous answer is refused before it, a missing or expired
    /// ceremony is a failure rather than an exception, and a verified answer's challenge is spent (or it was already).
    /// </summary>
    private async Task<T> CeremonyAsync<T>(PasskeyCredentialJson read, Func<Task<T>> verify, Func<T, bool> succeeded, Func<PasskeyException, T> fail)
    {
        if (read.Ambiguous)
        {
            return fail(new PasskeyException(Ambiguous));
        }

        T result;
        try
        {
            result = await verify();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return fail(new PasskeyException(NoCeremony));
        }

        return !succeeded(result) || await challenges.TryConsumeAsync(read.Challenge) ? result : fail(new PasskeyException(Replayed));
    }
}
