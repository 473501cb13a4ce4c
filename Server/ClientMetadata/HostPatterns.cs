using System.Globalization;

namespace IdentityServer.ClientMetadata;

/// <summary>The allow- and deny-lists: <c>example.com</c> matches that host, <c>*.example.com</c> its subdomains (not itself).</summary>
internal static class HostPatterns
{
    public static bool IsValid(string pattern)
    {
        var host = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern[2..] : pattern;
        return host.Length > 0 && Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6 && !host.Contains('*', StringComparison.Ordinal);
    }

    /// <summary>A host written with the root's trailing dot (<c>example.com.</c>) is the same host, and matches as one.</summary>
    public static bool Matches(string host, string pattern) => MatchesAbsolute(host.TrimEnd('.'), pattern.TrimEnd('.'));

    /// <summary>The host in its ASCII (punycode) form, or null when it has none (bytes no IDN mapping accepts; found by the fuzz test).</summary>
    public static string? AsciiHost(Uri url)
    {
        try
        {
            return url.IdnHost;
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    public static bool AnyMatches(string host, IEnumerable<string> patterns) => patterns.Any(p => Matches(host, p));

    private static bool MatchesAbsolute(string host, string pattern) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], true, CultureInfo.InvariantCulture) && host.Length > pattern.Length - 1
            : string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase);
}
