namespace IdentityServer.Audit;

/// <summary>
/// The names of audit events. A name is <c>area.what</c>; filtering by the area alone (<c>signin</c>) finds every event of it.
/// Administrative writes are <c>admin.resource.verb</c> (<c>admin.client.created</c>) and name their actor.
/// </summary>
internal static class AuditEventTypes
{
    public const string SignInSucceeded = "signin.succeeded";
    public const string SignInFailed = "signin.failed";
    public const string LockedOut = "signin.locked_out";
    public const string TwoFactorEnabled = "twofactor.enabled";
    public const string TwoFactorDisabled = "twofactor.disabled";
    public const string RecoveryCodesGenerated = "twofactor.recovery_codes_generated";
    public const string PasswordChanged = "password.changed";
    public const string PasswordReset = "password.reset";
    public const string PasswordResetRequested = "password.reset_requested";
    public const string EmailChanged = "account.email_changed";
    public const string AccountCreated = "account.created";
    public const string AccountDeleted = "account.deleted";
    public const string LoginLinked = "account.login_linked";
    public const string LoginUnlinked = "account.login_unlinked";
    public const string PasskeyAdded = "account.passkey_added";
    public const string PasskeyRemoved = "account.passkey_removed";
    public const string SessionEnded = "session.ended";
    public const string ConsentGranted = "consent.granted";
    public const string ConsentRevoked = "consent.revoked";
    public const string TokenFailed = "token.failed";
    public const string ClientAuthenticationFailed = "client.authentication_failed";

    /// <summary>The events a person sees about their own account on the account pages.</summary>
    public static readonly IReadOnlyList<string> Personal =
    [
        SignInSucceeded, SignInFailed, LockedOut, TwoFactorEnabled, TwoFactorDisabled, RecoveryCodesGenerated,
        PasswordChanged, PasswordReset, EmailChanged, LoginLinked, LoginUnlinked, PasskeyAdded, PasskeyRemoved, SessionEnded, ConsentGranted, ConsentRevoked,
    ];

    /// <summary>An administrative write: <c>admin.client.updated</c>.</summary>
    public static string Admin(string resource, string verb) => $"admin.{resource}.{verb}";
}
