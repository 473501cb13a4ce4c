using System.Globalization;

namespace IdentityServer.Oidc;

/// <summary>The per-client settings this server keeps beside OpenIddict's own in an application's settings.</summary>
internal static class ClientSettings
{
    /// <summary>Space-separated audiences a subject token must carry (one of them) for the client to exchange it.</summary>
    public const string SubjectTokenAudiences = "idsrv:subject_token_audiences";

    /// <summary>"true" when the client's exchanged tokens carry no <c>act</c> claim.</summary>
    public const string AllowImpersonation = "idsrv:allow_impersonation";

    /// <summary>
    /// How the client came to exist when it describes itself: <see cref="FromDocument"/> (a client ID metadata
    /// document) or <see cref="FromRegistration"/> (dynamic registration). Absent for configured clients. Such a
    /// client's consent page shows where it comes from and is never skipped.
    /// </summary>
    public const string SelfDescribed = "idsrv:self_described";

    public const string FromDocument = "document";
    public const string FromRegistration = "registration";

    /// <summary>When a metadata document client's document must be fetched again (round-trip date).</summary>
    public const string DocumentExpires = "idsrv:document_expires";

    /// <summary>Whether a metadata document client's document must be fetched again (or has no expiry recorded).</summary>
    public static bool DocumentHasExpired(IReadOnlyDictionary<string, string> settings, DateTimeOffset now) =>
        !settings.TryGetValue(DocumentExpires, out var expires)
        || !DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var until) || until <= now;

    public static string DocumentExpiry(DateTimeOffset expires) => expires.ToString("O", CultureInfo.InvariantCulture);
}
