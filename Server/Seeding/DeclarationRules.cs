using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using IdentityServer.Admin;
using IdentityServer.BackchannelLogout;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Seeding;

/// <summary>What makes a declared client, scope or user acceptable. Each result names its path (<c>Clients[0].Secret</c>).</summary>
internal static class DeclarationRules
{
    /// <summary>How configuration names the device authorization grant (RFC 8628's is urn:ietf:params:oauth:grant-type:device_code).</summary>
    public const string DeviceCode = "device_code";

    /// <summary>How configuration names token exchange (RFC 8693's is urn:ietf:params:oauth:grant-type:token-exchange).</summary>
    public const string TokenExchange = "token_exchange";

    private static readonly string[] KnownGrants = ["authorization_code", "refresh_token", "client_credentials", DeviceCode, TokenExchange];
    /// <summary>The scopes the server always knows; the admin scopes are granted only as <c>Admin/AdminScopeGrant</c> allows.</summary>
    private static readonly string[] BuiltInScopes = ["openid", "profile", "email", "roles", "offline_access", AdminOptions.ReadScope, AdminOptions.WriteScope];

    public static IEnumerable<ValidationResult> Check(SeedOptions declared)
    {
        var scopes = new HashSet<string>(BuiltInScopes, StringComparer.Ordinal);
        var results = new List<ValidationResult>();
        for (var i = 0; i < declared.Scopes.Count; i++)
        {
            CheckScope(declared.Scopes[i], $"Scopes[{i}]", scopes, results);
        }

        var resources = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < declared.Resources.Count; i++)
        {
            CheckResource(declared.Resources[i], $"Resources[{i}]", resources, results);
            foreach (var (scope, s) in declared.Resources[i].Scopes.Select((scope, s) => (scope, s)).Where(x => !scopes.Contains(x.scope)))
            {
                Add(results, $"Resources[{i}]", $"{nameof(DeclaredResource.Scopes)}[{s}]", $"the scope '{scope}' is not declared under IdentityServer:Scopes.");
            }
        }

        var clientIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < declared.Clients.Count; i++)
        {
            CheckClient(declared.Clients[i], $"Clients[{i}]", scopes, clientIds, results);
            CheckClientResources(declared.Clients[i], $"Clients[{i}]", resources, results);
        }

        var userNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < declared.Users.Count; i++)
        {
            CheckUser(declared.Users[i], $"Users[{i}]", userNames, results);
        }

        return results;
    }

    private static void CheckScope(DeclaredScope scope, string path, HashSet<string> names, List<ValidationResult> results)
    {
        if (string.IsNullOrWhiteSpace(scope.Name) || scope.Name.Any(c => c <= ' ' || c == '"' || c == '\\'))
        {
            Add(results, path, nameof(scope.Name), $"'{scope.Name}' is not a valid scope name (no spaces, quotes or backslashes).");
        }
        else if (!names.Add(scope.Name))
        {
            Add(results, path, nameof(scope.Name), $"the scope '{scope.Name}' is declared twice or shadows a built-in scope.");
        }
    }

    private static void CheckResource(DeclaredResource resource, string path, HashSet<string> uris, List<ValidationResult> results)
    {
        if (!ResourceUris.IsValid(resource.Uri))
        {
            Add(results, path, nameof(resource.Uri), $"'{resource.Uri}' must be an absolute URI without a fragment or spaces (e.g. https://api.example.com/).");
        }
        else if (!uris.Add(resource.Uri))
        {
            Add(results, path, nameof(resource.Uri), $"the resource '{resource.Uri}' is declared twice.");
        }
    }

    private static void CheckClientResources(DeclaredClient c, string path, HashSet<string> resources, List<ValidationResult> results)
    {
        for (var r = 0; r < c.Resources.Count; r++)
        {
            if (!resources.Contains(c.Resources[r]))
            {
                Add(results, path, $"{nameof(c.Resources)}[{r}]", $"the resource '{c.Resources[r]}' is not declared under IdentityServer:Resources.");
            }
        }

        var exchanges = c.GrantTypes.Contains(TokenExchange);
        if (exchanges && c.Type == ClientType.Public)
        {
            Add(results, path, nameof(c.GrantTypes), "a public client cannot use token_exchange: the exchanging API must authenticate.");
        }

        if (exchanges && (c.SubjectTokenAudiences.Count == 0 || c.SubjectTokenAudiences.Any(string.IsNullOrWhiteSpace)))
        {
            Add(results, path, nameof(c.SubjectTokenAudiences), "a client using token_exchange must name the audiences of the tokens it may exchange (normally its own API's URI).");
        }

        if (exchanges && c.Resources.Count == 0)
        {
            Add(results, path, nameof(c.Resources), "a client using token_exchange must name the resources it may exchange tokens for.");
        }

        if (exchanges && c.SubjectTokenAudiences.Intersect(c.Resources, StringComparer.Ordinal).FirstOrDefault() is { } loop)
        {
            Add(results, path, nameof(c.SubjectTokenAudiences), $"'{loop}' is also among the client's Resources: it could exchange the tokens it is given for new ones without end.");
        }

        if (!exchanges && (c.SubjectTokenAudiences.Count > 0 || c.AllowImpersonation))
        {
            Add(results, path, c.AllowImpersonation ? nameof(c.AllowImpersonation) : nameof(c.SubjectTokenAudiences), "applies only to a client using the token_exchange grant.");
        }
    }

    private static void CheckClient(DeclaredClient c, string path, HashSet<string> scopes, HashSet<string> ids, List<ValidationResult> results)
    {
        if (string.IsNullOrWhiteSpace(c.ClientId))
        {
            Add(results, path, nameof(c.ClientId), "a client id is required.");
        }
        else if (!ids.Add(c.ClientId))
        {
            Add(results, path, nameof(c.ClientId), $"'{c.ClientId}' is declared twice.");
        }

        var isPublic = c.Type == ClientType.Public;
        if (!Enum.IsDefined(c.Type))
        {
            Add(results, path, nameof(c.Type), $"'{c.Type}' must be 'public' or 'confidential'.");
        }
        else if (isPublic && !string.IsNullOrEmpty(c.Secret))
        {
            Add(results, path, nameof(c.Secret), "a public client cannot have a secret.");
        }
        else if (isPublic && (c.Jwks is not null || c.PublicKeyFile is not null))
        {
            Add(results, path, c.Jwks is not null ? nameof(c.Jwks) : nameof(c.PublicKeyFile), "a public client cannot authenticate, with a secret or with keys.");
        }
        else if (!isPublic && c.Jwks is null && c.PublicKeyFile is null && (c.Secret is null || c.Secret.Length < 16))
        {
            Add(results, path, nameof(c.Secret), "a confidential client needs a secret of at least 16 characters, or public keys (Jwks or PublicKeyFile).");
        }
        else if (!isPublic && c.Secret is { Length: < 16 })
        {
            Add(results, path, nameof(c.Secret), "a secret must have at least 16 characters.");
        }

        if (c.PublicKeyFile is not null && c.Jwks is not null)
        {
            Add(results, path, nameof(c.PublicKeyFile), "declare the keys once: Jwks or PublicKeyFile, not both.");
        }

        if (c.Jwks is not null && KeySetProblem(c.Jwks) is { } problem)
        {
            Add(results, path, nameof(c.Jwks), problem);
        }

        if (isPublic && c.AllowIntrospection)
        {
            Add(results, path, nameof(c.AllowIntrospection), "a public client cannot call the introspection endpoint (it has no secret to authenticate with).");
        }

        if (c.GrantTypes.Count == 0)
        {
            Add(results, path, nameof(c.GrantTypes), $"at least one grant type is required ({string.Join(", ", KnownGrants)}).");
        }

        for (var g = 0; g < c.GrantTypes.Count; g++)
        {
            if (!KnownGrants.Contains(c.GrantTypes[g]))
            {
                Add(results, path, $"{nameof(c.GrantTypes)}[{g}]", $"'{c.GrantTypes[g]}' is not supported; use {string.Join(", ", KnownGrants)}.");
            }
            else if (isPublic && c.GrantTypes[g] == "client_credentials")
            {
                Add(results, path, $"{nameof(c.GrantTypes)}[{g}]", "a public client cannot use client_credentials.");
            }
        }

        if (c.RequirePushedAuthorizationRequests && !c.GrantTypes.Contains("authorization_code"))
        {
            Add(results, path, nameof(c.RequirePushedAuthorizationRequests), "only a client using authorization_code sends authorization requests to push.");
        }

        if (c.RequireMfa && !c.GrantTypes.Contains("authorization_code") && !c.GrantTypes.Contains(DeviceCode))
        {
            Add(results, path, nameof(c.RequireMfa), "only a client using authorization_code or device_code signs people in; a second factor cannot be required of anything else.");
        }

        if (c.GrantTypes.Contains("authorization_code") && c.RedirectUris.Count == 0)
        {
            Add(results, path, nameof(c.RedirectUris), "a client using authorization_code needs at least one redirect URI.");
        }

        CheckUris(c.RedirectUris, path, nameof(c.RedirectUris), results);
        CheckUris(c.PostLogoutRedirectUris, path, nameof(c.PostLogoutRedirectUris), results);
        if (!string.IsNullOrEmpty(c.BackchannelLogoutUri) && LogoutUris.Problem(c.BackchannelLogoutUri) is { } backchannel)
        {
            Add(results, path, nameof(c.BackchannelLogoutUri), $"'{c.BackchannelLogoutUri}' {backchannel}");
        }

        for (var s = 0; s < c.Scopes.Count; s++)
        {
            if (!scopes.Contains(c.Scopes[s]))
            {
                Add(results, path, $"{nameof(c.Scopes)}[{s}]", $"the scope '{c.Scopes[s]}' is not declared under IdentityServer:Scopes.");
            }
        }

        // The server-wide bounds (Oidc/TokenLifetimeOptions.cs) hold per client too: beyond them a token's
        // expiry cannot even be represented (an access token of 29,000 years failed every request with a 500).
        foreach (var (name, lifetime, longest) in new[]
        {
            (nameof(c.AccessTokenLifetime), c.AccessTokenLifetime, TimeSpan.FromDays(1)),
            (nameof(c.RefreshTokenLifetime), c.RefreshTokenLifetime, TimeSpan.FromDays(3650)),
        })
        {
            if (lifetime <= TimeSpan.Zero || lifetime > longest)
            {
                Add(results, path, name, $"'{lifetime}' must be between 00:00:01 and {longest:c}.");
            }
        }
    }

    /// <summary>Why a declared key set cannot serve: not a JWKS, empty, or holding a private key (which never belongs in configuration).</summary>
    internal static string? KeySetProblem(string json)
    {
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json);
        }
        catch (Exception e) when (e is ArgumentException or JsonException)
        {
            return "is not a JSON Web Key Set ({\"keys\":[…]}).";
        }

        if (set.Keys.Count == 0 || set.Keys.Any(k => k.Kty is not ("RSA" or "EC")))
        {
            return "must hold at least one key, each RSA or EC.";
        }

        if (set.Keys.Any(k => k.D is not null))
        {
            return "holds a private key: declare only the public keys (no \"d\").";
        }

        // RFC 7518 §3.3 asks for RSA keys of 2048 bits or more; EC keys on the curves JWS names.
        if (set.Keys.Any(k => k.Kty == "RSA" && ModulusBits(k.N) is null))
        {
            return "holds an RSA key whose modulus is not base64url.";
        }

        if (set.Keys.Any(k => k.Kty == "RSA" && ModulusBits(k.N) < 2048))
        {
            return "holds an RSA key shorter than 2048 bits.";
        }

        return set.Keys.Any(k => k.Kty == "EC" && k.Crv is not ("P-256" or "P-384" or "P-521")) ? "holds an EC key on a curve other than P-256, P-384 or P-521." : null;
    }

    /// <summary>An RSA modulus's length in bits, 0 when there is none, null when it is not base64url (a hostile document's key set).</summary>
    private static int? ModulusBits(string? n)
    {
        try
        {
            return n is null ? 0 : Base64UrlEncoder.DecodeBytes(n).SkipWhile(b => b == 0).Count() * 8;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static void CheckUser(DeclaredUser u, string path, HashSet<string> names, List<ValidationResult> results)
    {
        if (string.IsNullOrWhiteSpace(u.UserName))
        {
            Add(results, path, nameof(u.UserName), "a user name is required.");
        }
        else if (!names.Add(u.UserName))
        {
            Add(results, path, nameof(u.UserName), $"'{u.UserName}' is declared twice.");
        }

        if (string.IsNullOrEmpty(u.Password))
        {
            Add(results, path, nameof(u.Password), "a password is required for a declared user.");
        }

        if (u.Email is { } email && !email.Contains('@', StringComparison.Ordinal))
        {
            Add(results, path, nameof(u.Email), $"'{email}' is not an email address.");
        }
    }

    private static void CheckUris(List<string> uris, string path, string member, List<ValidationResult> results)
    {
        for (var i = 0; i < uris.Count; i++)
        {
            if (!Uri.TryCreate(uris[i], UriKind.Absolute, out var uri) || uri.Fragment.Length > 0)
            {
                Add(results, path, $"{member}[{i}]", $"'{uris[i]}' must be an absolute URI without a fragment.");
            }
            else if (uri.Scheme is "javascript" or "data" or "vbscript" or "file")
            {
                Add(results, path, $"{member}[{i}]", $"'{uri.Scheme}:' addresses cannot receive a sign-in; use https (or a custom scheme of a native app).");
            }
        }
    }

    private static void Add(List<ValidationResult> results, string path, string member, string message) =>
        results.Add(new ValidationResult(message, [$"{path}.{member}"]));
}
