namespace IdentityServer.Seeding;

/// <summary>What a resource indicator is (RFC 8707 §2), for configuration and requests alike.</summary>
internal static class ResourceUris
{
    /// <summary>An absolute URI without a fragment and, as it is compared as written, without spaces.</summary>
    public static bool IsValid(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Fragment.Length == 0
        && !value.Contains('#', StringComparison.Ordinal) && !value.Any(c => c <= ' ');
}
