using OpenIddict.Abstractions;

namespace IdentityServer.BackchannelLogout;

/// <summary>Where a client's back-channel logout URI is kept: a setting of its OpenIddict application.</summary>
internal static class LogoutUris
{
    public const string Setting = "bcl_uri";

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
