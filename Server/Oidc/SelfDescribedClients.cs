using IdentityServer.Seeding;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Oidc;

/// <summary>
/// What a client that describes itself (a client ID metadata document, dynamic registration) may do: code + PKCE,
/// refresh tokens when it asked for them, the standard profile scopes, and the declared resources configuration
/// opens to such clients (<see cref="DeclaredResource.AllowSelfDescribedClients"/>) with their scopes. Consent is
/// asked every time: nothing about the client is vouched for.
/// </summary>
internal static class SelfDescribedClients
{
    /// <summary>The endpoints and response type of a code + PKCE client, whatever its grants and scopes.</summary>
    public static readonly string[] CodeFlowPermissions =
    [
        Permissions.Endpoints.Authorization, Permissions.Endpoints.PushedAuthorization, Permissions.Endpoints.Token,
        Permissions.Endpoints.Revocation, Permissions.Endpoints.EndSession, Permissions.ResponseTypes.Code,
    ];

    public static void Apply(OpenIddictApplicationDescriptor d, IReadOnlyCollection<string> grantTypes, SeedOptions declared)
    {
        d.ApplicationType = ApplicationTypes.Web;
        d.ConsentType = ConsentTypes.Systematic;
        d.Permissions.Clear();
        d.Permissions.UnionWith([.. CodeFlowPermissions, Permissions.GrantTypes.AuthorizationCode, Permissions.Scopes.Profile, Permissions.Scopes.Email]);
        if (grantTypes.Contains(GrantTypes.RefreshToken))
        {
            d.Permissions.Add(Permissions.GrantTypes.RefreshToken);
            d.Permissions.Add(Permissions.Prefixes.Scope + Scopes.OfflineAccess);
        }

        OpenResources(d, declared);
        d.Requirements.Clear();
        d.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
    }

    /// <summary>The declared resources open to self-described clients, with the scopes each lists.</summary>
    public static void OpenResources(OpenIddictApplicationDescriptor d, SeedOptions declared)
    {
        foreach (var resource in declared.Resources.Where(r => r.AllowSelfDescribedClients))
        {
            d.Permissions.Add(Permissions.Prefixes.Resource + resource.Uri);
            d.Permissions.UnionWith(resource.Scopes.Select(s => Permissions.Prefixes.Scope + s));
        }
    }
}
