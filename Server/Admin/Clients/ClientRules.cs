using IdentityServer.Seeding;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using StandardScopes = OpenIddict.Abstractions.OpenIddictConstants.Scopes;

namespace IdentityServer.Admin.Clients;

/// <summary>
/// What a client made through the API must be. A subset of what configuration may declare: the grants that need
/// server-wide switches (device_code, token_exchange) and key-based authentication stay configuration's.
/// Errors are keyed by the request body's field names.
/// </summary>
internal sealed class ClientRules(IOpenIddictScopeManager scopes)
{
    public static readonly string[] Grants = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.ClientCredentials];

    public static readonly string[] BuiltInScopes =
        [StandardScopes.OpenId, StandardScopes.Profile, StandardScopes.Email, StandardScopes.Roles, StandardScopes.OfflineAccess, AdminOptions.ReadScope, AdminOptions.WriteScope];

    public async Task<Dictionary<string, string[]>> CheckAsync(ClientInput input, bool creating, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (creating && !IsClientId(input.ClientId))
        {
            errors["clientId"] = ["clientId is required: 1 to 100 letters, digits, '.', '_', '~' or '-'."];
        }

        if (input.DisplayName is { Length: > 200 })
        {
            errors["displayName"] = ["displayName must be 200 characters or fewer."];
        }

        if (input.Type is not ("public" or "confidential"))
        {
            errors["type"] = ["type must be 'public' or 'confidential'."];
        }

        if (input.GrantTypes.Count == 0 || input.GrantTypes.Any(g => !Grants.Contains(g)))
        {
            errors["grantTypes"] = [$"grantTypes must list one or more of: {string.Join(", ", Grants)}."];
        }
        else if (input.Type == "public" && input.GrantTypes.Contains(GrantTypes.ClientCredentials))
        {
            errors["grantTypes"] = ["a public client cannot use client_credentials."];
        }

        if (input.GrantTypes.Contains(GrantTypes.AuthorizationCode) && input.RedirectUris.Count == 0)
        {
            errors["redirectUris"] = ["a client using authorization_code needs at least one redirect URI."];
        }

        CheckUris(input.RedirectUris, "redirectUris", errors);
        CheckUris(input.PostLogoutRedirectUris, "postLogoutRedirectUris", errors);
        if (input.Type == "public" && input.AllowIntrospection)
        {
            errors["allowIntrospection"] = ["a public client cannot call the introspection endpoint."];
        }

        var unknown = new List<string>();
        foreach (var scope in input.Scopes.Distinct(StringComparer.Ordinal).Take(50))
        {
            if (scope is null || (!BuiltInScopes.Contains(scope) && (scope.Length > 200 || await scopes.FindByNameAsync(scope, ct) is null)))
            {
                unknown.Add(scope ?? "null");
            }
        }

        if (unknown.Count > 0 || input.Scopes.Count > 50)
        {
            errors["scopes"] = [$"unknown scopes (at most 50 may be listed): {string.Join(' ', unknown)}."];
        }

        return errors;
    }

    /// <summary>The configuration shape of the input, so the descriptor is made exactly as the seeder makes it.</summary>
    public static DeclaredClient ToDeclared(string clientId, ClientInput input) => new()
    {
        ClientId = clientId,
        DisplayName = string.IsNullOrWhiteSpace(input.DisplayName) ? null : input.DisplayName,
        Type = input.Type == "public" ? ClientType.Public : ClientType.Confidential,
        FirstParty = input.FirstParty,
        AllowIntrospection = input.AllowIntrospection,
        GrantTypes = [.. input.GrantTypes.Distinct(StringComparer.Ordinal)],
        Scopes = [.. input.Scopes.Distinct(StringComparer.Ordinal)],
        RedirectUris = [.. input.RedirectUris.Distinct(StringComparer.Ordinal)],
        PostLogoutRedirectUris = [.. input.PostLogoutRedirectUris.Distinct(StringComparer.Ordinal)],
    };

    /// <summary>A plain name, never a URL: a URL as client_id means a client metadata document to this server.</summary>
    private static bool IsClientId(string? id) =>
        id is { Length: > 0 and <= 100 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '~' or '-');

    private static void CheckUris(List<string> uris, string field, Dictionary<string, string[]> errors)
    {
        if (uris.Count > 20)
        {
            errors[field] = ["at most 20 addresses."];
            return;
        }

        var bad = uris.Where(u => u is null || u.Length > 2000 || !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Fragment.Length > 0
            || uri.Scheme is "javascript" or "data" or "vbscript" or "file").ToList();
        if (bad.Count > 0)
        {
            errors[field] = [$"each address must be absolute, without a fragment, and not javascript:, data:, vbscript: or file: ({bad.Count} are not)."];
        }
    }
}
