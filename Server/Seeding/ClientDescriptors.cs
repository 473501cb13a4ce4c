using System.Globalization;
using IdentityServer.BackchannelLogout;
using IdentityServer.Oidc;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Seeding;

/// <summary>Turns a configured client into the OpenIddict descriptor (permissions, requirements, settings).</summary>
internal static class ClientDescriptors
{
    public static void Apply(DeclaredClient client, OpenIddictApplicationDescriptor d)
    {
        d.ClientId = client.ClientId;
        d.DisplayName = client.DisplayName ?? client.ClientId;
        d.ClientType = client.Type == ClientType.Public ? ClientTypes.Public : ClientTypes.Confidential;
        d.JsonWebKeySet = client.KeySet is { } jwks ? new JsonWebKeySet(jwks) : null;
        d.ApplicationType = ApplicationTypes.Web;
        d.ConsentType = client.FirstParty ? ConsentTypes.Implicit : ConsentTypes.Explicit;

        d.RedirectUris.Clear();
        d.RedirectUris.UnionWith(client.RedirectUris.Select(u => new Uri(u, UriKind.Absolute)));
        d.PostLogoutRedirectUris.Clear();
        d.PostLogoutRedirectUris.UnionWith(client.PostLogoutRedirectUris.Select(u => new Uri(u, UriKind.Absolute)));

        d.Permissions.Clear();
        d.Permissions.Add(Permissions.Endpoints.Token);
        d.Permissions.Add(Permissions.Endpoints.Revocation);
        if (client.AllowIntrospection)
        {
            d.Permissions.Add(Permissions.Endpoints.Introspection);
        }

        foreach (var grant in client.GrantTypes)
        {
            d.Permissions.Add(Permissions.Prefixes.GrantType + grant switch
            {
                DeclarationRules.DeviceCode => GrantTypes.DeviceCode,
                DeclarationRules.TokenExchange => GrantTypes.TokenExchange,
                _ => grant,
            });
        }

        if (client.GrantTypes.Contains(DeclarationRules.DeviceCode))
        {
            d.Permissions.Add(Permissions.Endpoints.DeviceAuthorization);
        }

        if (client.GrantTypes.Contains(GrantTypes.AuthorizationCode))
        {
            d.Permissions.Add(Permissions.Endpoints.Authorization);
            d.Permissions.Add(Permissions.Endpoints.PushedAuthorization);
            d.Permissions.Add(Permissions.Endpoints.EndSession);
            d.Permissions.Add(Permissions.ResponseTypes.Code);
        }

        foreach (var scope in client.Scopes.Where(s => s != Scopes.OpenId))
        {
            d.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        // A resource permitted by rsrc: may be named with resource=; a token exchange also accepts it as audience=.
        foreach (var resource in client.Resources)
        {
            d.Permissions.Add(Permissions.Prefixes.Resource + resource);
            if (client.GrantTypes.Contains(DeclarationRules.TokenExchange))
            {
                d.Permissions.Add(Permissions.Prefixes.Audience + resource);
            }
        }

        d.Requirements.Clear();
        d.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        if (client.RequirePushedAuthorizationRequests)
        {
            d.Requirements.Add(Requirements.Features.PushedAuthorizationRequests);
        }

        d.Settings.Clear();
        if (client.AccessTokenLifetime is { } access)
        {
            d.Settings[Settings.TokenLifetimes.AccessToken] = access.ToString("c", CultureInfo.InvariantCulture);
        }

        if (client.RefreshTokenLifetime is { } refresh)
        {
            d.Settings[Settings.TokenLifetimes.RefreshToken] = refresh.ToString("c", CultureInfo.InvariantCulture);
        }

        if (client.SubjectTokenAudiences.Count > 0)
        {
            d.Settings[ClientSettings.SubjectTokenAudiences] = string.Join(' ', client.SubjectTokenAudiences);
        }

        if (client.AllowImpersonation)
        {
            d.Settings[ClientSettings.AllowImpersonation] = "true";
        }

        if (client.RequireMfa)
        {
            d.Settings[StepUp.RequireMfaSetting] = "true";
        }

        LogoutUris.Store(d, client.BackchannelLogoutUri);
    }

    /// <summary>Compares everything except the secret, which is stored hashed and checked separately.</summary>
    public static bool SameShape(OpenIddictApplicationDescriptor a, OpenIddictApplicationDescriptor b) =>
        a.ClientId == b.ClientId && a.DisplayName == b.DisplayName && a.ClientType == b.ClientType
        && a.ApplicationType == b.ApplicationType && a.ConsentType == b.ConsentType
        && a.RedirectUris.SetEquals(b.RedirectUris) && a.PostLogoutRedirectUris.SetEquals(b.PostLogoutRedirectUris)
        && a.Permissions.SetEquals(b.Permissions) && a.Requirements.SetEquals(b.Requirements) && KeysOf(a) == KeysOf(b)
        && a.Settings.Count == b.Settings.Count && a.Settings.All(s => b.Settings.TryGetValue(s.Key, out var v) && v == s.Value);

    /// <summary>The public parts of the client's keys, in order: what a change of keys changes.</summary>
    private static string KeysOf(OpenIddictApplicationDescriptor d) =>
        string.Join('|', d.JsonWebKeySet?.Keys.Select(k => string.Join(',', k.Kty, k.Kid, k.Alg, k.N, k.E, k.Crv, k.X, k.Y)) ?? []);
}
