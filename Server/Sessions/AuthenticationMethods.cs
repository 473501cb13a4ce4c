namespace IdentityServer.Sessions;

/// <summary>
/// The authentication method references (RFC 8176) and authentication context classes this server puts in
/// <c>amr</c> and <c>acr</c>. README "Step-up (acr/amr)" documents them for client authors.
/// </summary>
internal static class AuthenticationMethods
{
    public const string Password = "pwd";
    public const string OneTimePassword = "otp";
    public const string MultiFactor = "mfa";
    public const string External = "ext";

    /// <summary>A passkey: proof of possession of a hardware-secured key…</summary>
    public const string HardwareKey = "hwk";

    /// <summary>…with the user's presence tested by the authenticator.</summary>
    public const string UserPresence = "user";

    /// <summary>acr: a second factor was checked in this session.</summary>
    public const string MultiFactorContext = "mfa";

    /// <summary>acr: one factor only (a password, or a sign-in at an external provider).</summary>
    public const string SingleFactorContext = "1";

    public static IReadOnlyList<string> SupportedContexts { get; } = [SingleFactorContext, MultiFactorContext];

    public static string ContextOf(IReadOnlyList<string> methods) =>
        methods.Contains(MultiFactor) ? MultiFactorContext : SingleFactorContext;

    public static IReadOnlyList<string> Parse(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The first factor and, when <paramref name="secondFactor"/>, the second: e.g. <c>pwd otp mfa</c>. A passkey is
    /// <c>hwk user</c>; its own user verification (PIN or biometric) is the second factor: <c>hwk user mfa</c>.
    /// </summary>
    public static IReadOnlyList<string> Of(string firstFactor, bool secondFactor) => firstFactor == HardwareKey
        ? secondFactor ? [HardwareKey, UserPresence, MultiFactor] : [HardwareKey, UserPresence]
        : secondFactor ? [firstFactor, OneTimePassword, MultiFactor] : [firstFactor];
}
