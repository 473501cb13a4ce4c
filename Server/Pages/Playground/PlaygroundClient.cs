using IdentityServer.Seeding;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Pages.Playground;

/// <summary>
/// A declared client the playground can sign in with: public (the page holds no secret), using the authorization
/// code, and with a redirect URI at <see cref="Path"/>. A loopback redirect URI of a public client matches on any
/// port (RFC 8252 §7.3), so <c>http://localhost:5000/playground</c> also serves a server started on another port.
/// </summary>
internal sealed record PlaygroundClient(string ClientId, string DisplayName, string Scopes, string RedirectUris, string PostLogoutRedirectUris, bool Refresh)
{
    public const string Path = "/playground";

    public static IReadOnlyList<PlaygroundClient> From(SeedOptions declared) =>
        declared.Clients
            .Where(c => c.Type == ClientType.Public && c.GrantTypes.Contains(GrantTypes.AuthorizationCode) && c.RedirectUris.Any(AtThePlayground))
            .Select(c => new PlaygroundClient(
                c.ClientId, c.DisplayName ?? c.ClientId, string.Join(' ', c.Scopes),
                string.Join(' ', c.RedirectUris.Where(AtThePlayground)), string.Join(' ', c.PostLogoutRedirectUris.Where(AtThePlayground)),
                c.GrantTypes.Contains(GrantTypes.RefreshToken)))
            .ToList();

    private static bool AtThePlayground(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.AbsolutePath == Path && parsed.Query.Length == 0;
}
