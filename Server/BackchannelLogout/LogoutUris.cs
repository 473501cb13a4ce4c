using OpenIddict.Abstractions;

namespace IdentityServer.BackchannelLogout;

/// <summary>What a client's back-channel logout URI may be, and where it is kept: a setting of its OpenIddict application.</summary>
internal static class LogoutUris
{
    public const string Setting = "bcl_uri";

    /// <summary>
    /// Why a declared URI cannot serve, or null. Logout tokens travel server to server: over https, or over http
    /// only to this machine (a developer's app); no fragment, which a POST cannot carry (Back-Channel Logout 1.0 §2.2).
    /// </summary>
    public static string? Problem(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return "must be an absolute https URI.";
        }

        if (uri.Fragment.Length > 0 || value.Contains('#', StringComparison.Ordinal))
        {
            return "must not have a fragment.";
        }

        return uri.Scheme == "http" && !uri.IsLoopback ? "must use https (http only to localhost or a loopback address)." : null;
    }

    public static void Store(OpenIddictApplicationDescriptor descriptor, string? uri)
    {
        if (uri is { Length: > 0 })
        {
            descriptor.Settings[Setting] = uri;
        }
    }

    public static async Task<string?> FindAsync(IOpenIddictApplicationManager applications, string clientId, CancellationToken ct) =>
        await applications.FindByClientIdAsync(clientId, ct) is { } application
        && (await applications.GetSettingsAsync(application, ct)).TryGetValue(Setting, out var uri) && uri is { Length: > 0 }
            ? uri
            : null;
}
