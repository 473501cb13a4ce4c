using IdentityServer.Oidc;

namespace IdentityServer.Registration;

/// <summary>What a registered client's URIs may be.</summary>
internal static class RegistrationUris
{
    /// <summary>
    /// Why a redirect URI cannot be registered, or null. A registered client is public and unvetted, so its codes may
    /// only go where a network attacker cannot read them: https, or http to this very machine (RFC 8252 §7.3, a native
    /// app's loopback listener). No fragment (RFC 6749 §3.1.2), no user information, no custom schemes.
    /// </summary>
    public static string? RedirectProblem(string value, int maxLength)
    {
        if (Absolute(value, maxLength) is (null, var problem))
        {
            return problem;
        }

        var uri = new Uri(value, UriKind.Absolute);
        return uri.Scheme switch
        {
            "https" => null,
            "http" when IsLoopback(uri) && RedirectRules.IsLoopbackAsWritten(value) => null,
            "http" => "must use https; http only to a loopback address (127.0.0.1, [::1] or localhost).",
            _ => "must use https, or http to a loopback address; other schemes are not accepted.",
        };
    }

    /// <summary>Why a <c>client_uri</c> or <c>logo_uri</c> cannot be registered, or null: the consent page may link to them, so https only.</summary>
    public static string? WebPageProblem(string value, int maxLength) =>
        Absolute(value, maxLength) is (null, var problem) ? problem
        : new Uri(value, UriKind.Absolute).Scheme != "https" ? "must be an https URI." : null;

    /// <summary>The exact loopback names RFC 8252 §7.3 and §8.3 speak of; other names that resolve to this machine do not count.</summary>
    private static bool IsLoopback(Uri uri) => uri.Host is "127.0.0.1" or "[::1]" or "localhost";

    private static (Uri? Uri, string? Problem) Absolute(string value, int maxLength)
    {
        if (value.Length > maxLength)
        {
            return (null, $"must be at most {maxLength} characters.");
        }

        // Uri would trim surrounding spaces and drop some control characters; the registered value must be the one compared later.
        if (value.Any(c => c <= ' ' || c == '\u007f') || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return (null, "must be an absolute URI without spaces.");
        }

        if (value.Contains('#', StringComparison.Ordinal))
        {
            return (null, "must not have a fragment.");
        }

        return uri.UserInfo.Length > 0 ? (null, "must not carry a user name or password.") : (uri, null);
    }
}
