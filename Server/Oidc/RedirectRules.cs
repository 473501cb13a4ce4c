namespace IdentityServer.Oidc;

/// <summary>
/// Redirect URIs of clients that describe themselves (metadata documents, registration), and RFC 8252 §7.3:
/// a native app listens on whatever loopback port is free, so a loopback redirect URI matches on any port.
/// </summary>
internal static class RedirectRules
{
    /// <summary>https, or http on a loopback address; never a fragment or credentials.</summary>
    public static bool IsAcceptable(Uri uri) =>
        uri.IsAbsoluteUri && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0 && !uri.OriginalString.Contains('#', StringComparison.Ordinal)
        && (uri.Scheme == Uri.UriSchemeHttps || IsLoopback(uri));

    /// <summary>http to 127.0.0.1, [::1] or localhost.</summary>
    public static bool IsLoopback(Uri uri) =>
        uri.IsAbsoluteUri && uri.Scheme == Uri.UriSchemeHttp
        && (uri.Host is "127.0.0.1" or "[::1]" || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The same loopback URI but for the port: scheme, host (as written: 127.0.0.1 does not match localhost),
    /// path and query compared exactly.
    /// </summary>
    public static bool SameLoopbackIgnoringPort(string registered, string requested) =>
        Uri.TryCreate(registered, UriKind.Absolute, out var r) && Uri.TryCreate(requested, UriKind.Absolute, out var q)
        && IsLoopback(r) && IsLoopback(q) && !requested.Contains('#', StringComparison.Ordinal) && q.UserInfo.Length == 0
        && string.Equals(r.Host, q.Host, StringComparison.OrdinalIgnoreCase)
        && string.Equals(r.PathAndQuery, q.PathAndQuery, StringComparison.Ordinal);
}
