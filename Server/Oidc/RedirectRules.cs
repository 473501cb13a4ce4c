using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace IdentityServer.Oidc;

/// <summary>
/// Redirect URIs of clients that describe themselves (metadata documents, registration), and RFC 8252 §7.3:
/// a native app listens on whatever loopback port is free, so a loopback redirect URI matches on any port.
/// </summary>
internal static partial class RedirectRules
{
    /// <summary>
    /// https, or http on a loopback address written as such; never a fragment, credentials, spaces or control
    /// characters (<see cref="Uri"/> would trim or drop them, and the string as written is what is compared later).
    /// </summary>
    public static bool IsAcceptable(string value, [NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri) && !value.Any(c => c <= ' ' || c == '\u007f')
        && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0 && !value.Contains('#', StringComparison.Ordinal)
        && (uri.Scheme == Uri.UriSchemeHttps || (IsLoopback(uri) && IsLoopbackAsWritten(value)));

    /// <summary>
    /// The loopback authority as written, not only as <see cref="Uri"/> reads it: Uri takes <c>http://[::1]x/cb</c>
    /// for host [::1], a string a browser refuses or reads otherwise.
    /// </summary>
    public static bool IsLoopbackAsWritten(string value) => LoopbackAsWritten().IsMatch(value);

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
        && IsLoopback(r) && IsLoopback(q) && IsLoopbackAsWritten(requested) && !requested.Contains('#', StringComparison.Ordinal) && q.UserInfo.Length == 0
        && string.Equals(r.Host, q.Host, StringComparison.OrdinalIgnoreCase)
        && string.Equals(r.PathAndQuery, q.PathAndQuery, StringComparison.Ordinal);

    [GeneratedRegex(@"\Ahttp://(127\.0\.0\.1|\[::1\]|localhost)(:[0-9]{1,5})?([/?]|\z)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LoopbackAsWritten();
}
