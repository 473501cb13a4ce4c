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

    public static bool Matches(string host, string pattern) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], true, CultureInfo.InvariantCulture) && host.Length > pattern.Length - 1
            : string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase);

    public static bool AnyMatches(string host, IEnumerable<string> patterns) => patterns.Any(p => Matches(host, p));
}
