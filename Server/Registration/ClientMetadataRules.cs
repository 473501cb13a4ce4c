using System.Text.Json;
using IdentityServer.Oidc;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Registration;

/// <summary>
/// Turns a registration request's metadata into the one kind of client this server registers — public, code + PKCE,
/// https or loopback redirects — or says why not. Metadata this server does not use is ignored (RFC 7591 §2); metadata
/// it uses must be exactly what it supports, except scopes: those outside the allowed list are dropped, and the
/// answer says which were registered (RFC 7591 §3.2.1 lets the server replace requested values).
/// </summary>
internal static class ClientMetadataRules
{
    private static readonly string[] SupportedGrants = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken];

    public static (ClientMetadata? Metadata, RegistrationError? Error) Check(JsonElement body, RegistrationOptions options)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            // A repeated member would be read as its last value by one parser and its first by another.
            if (!fields.TryAdd(property.Name, property.Value))
            {
                return Refuse($"'{Printable(property.Name)}' is given more than once.");
            }
        }

        if (Present(fields, "software_statement"))
        {
            return (null, new RegistrationError(RegistrationError.InvalidSoftwareStatement, "Software statements are not supported; send the metadata itself."));
        }

        // A client asking to authenticate with a secret is registered as a public client and told so (RFC 7591 §3.2.1
        // lets the server replace a value): it is given no secret, PKCE protects its codes. Some MCP clients always
        // ask for client_secret_post and use what the answer says. Keys (private_key_jwt) cannot be replaced so.
        if (Text(fields, "token_endpoint_auth_method") is var (method, methodError)
            && (methodError is not null || method is not (null or ClientAuthenticationMethods.None or ClientAuthenticationMethods.ClientSecretPost or ClientAuthenticationMethods.ClientSecretBasic)))
        {
            return Refuse("Only public clients can register: token_endpoint_auth_method must be \"none\" (with PKCE). A client that keeps a secret is declared in the server's configuration.");
        }

        // An empty list of grants or response types counts as left out (some client libraries always send the member).
        var (grants, grantsError) = List(fields, "grant_types");
        grants = grants is { Count: > 0 } ? grants : [GrantTypes.AuthorizationCode];
        if (grantsError is not null || grants.Any(g => !SupportedGrants.Contains(g, StringComparer.Ordinal)) || !grants.Contains(GrantTypes.AuthorizationCode))
        {
            return Refuse("grant_types must include \"authorization_code\" and may add \"refresh_token\"; no other grant can be registered.");
        }

        var (responses, responsesError) = List(fields, "response_types");
        if (responsesError is not null || (responses is not null && responses.Any(r => r != ResponseTypes.Code)))
        {
            return Refuse("response_types must be [\"code\"]: the authorization code flow with PKCE is the only one offered.");
        }

        var (redirects, redirectsError) = List(fields, "redirect_uris");
        if (redirectsError is not null || redirects is null || redirects.Count == 0)
        {
            return (null, RegistrationError.RedirectUri("redirect_uris is required: a list of https URIs, or http URIs of a loopback address."));
        }

        if (redirects.Count > options.MaxRedirectUris)
        {
            return (null, RegistrationError.RedirectUri($"At most {options.MaxRedirectUris} redirect URIs can be registered."));
        }

        foreach (var redirect in redirects)
        {
            if (RegistrationUris.RedirectProblem(redirect, options.MaxUriLength) is { } problem)
            {
                return (null, RegistrationError.RedirectUri($"The redirect URI '{Printable(redirect)}' {problem}"));
            }
        }

        var (name, nameError) = Text(fields, "client_name");
        if (nameError is not null || (name is not null && (name.Length > options.MaxClientNameLength || !ClientNames.IsFit(name))))
        {
            return Refuse($"client_name must be a string of 1 to {options.MaxClientNameLength} characters without control, format or separator characters.");
        }

        string? clientUri = null, logoUri = null;
        foreach (var (field, assign) in new (string, Action<string?>)[] { ("client_uri", v => clientUri = v), ("logo_uri", v => logoUri = v) })
        {
            var (value, error) = Text(fields, field);
            if (error is not null || (value is not null && RegistrationUris.WebPageProblem(value, options.MaxUriLength) is not null))
            {
                return Refuse($"{field} must be an https URI of at most {options.MaxUriLength} characters.");
            }

            assign(value);
        }

        var (scope, scopeError) = Text(fields, "scope");
        var allowed = options.ScopesAllowed();
        var scopes = scope is null ? [.. allowed] : scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(s => allowed.Contains(s, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (scopeError is not null || scopes.Count == 0)
        {
            return Refuse($"scope must be a space-separated string naming some of: {string.Join(' ', allowed)}.");
        }

        return (new ClientMetadata([.. redirects.Distinct(StringComparer.Ordinal)], [.. grants.Distinct(StringComparer.Ordinal)], scopes, name, clientUri, logoUri), null);
    }

    private static (ClientMetadata?, RegistrationError?) Refuse(string description) => (null, RegistrationError.Metadata(description));

    /// <summary>A member given as JSON null counts as left out.</summary>
    private static bool Present(Dictionary<string, JsonElement> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null;

    private static (string? Value, string? Error) Text(Dictionary<string, JsonElement> fields, string name)
    {
        if (!Present(fields, name))
        {
            return (null, null);
        }

        return fields[name].ValueKind == JsonValueKind.String && TryString(fields[name], out var text) ? (text, null) : (null, $"{name} must be a string.");
    }

    private static (List<string>? Values, string? Error) List(Dictionary<string, JsonElement> fields, string name)
    {
        if (!Present(fields, name))
        {
            return (null, null);
        }

        if (fields[name].ValueKind != JsonValueKind.Array)
        {
            return (null, $"{name} must be an array of strings.");
        }

        var values = new List<string>();
        foreach (var item in fields[name].EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !TryString(item, out var text))
            {
                return (null, $"{name} must be an array of strings.");
            }

            values.Add(text);
        }

        return (values, null);
    }

    /// <summary>A JSON string that escapes half a surrogate pair is valid JSON and no valid text: refused, not thrown.</summary>
    private static bool TryString(JsonElement element, out string text)
    {
        try
        {
            text = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>A requested value echoed in an error description: bounded, and without control characters.</summary>
    private static string Printable(string value) =>
        new([.. (value.Length > 200 ? value[..200] + "…" : value).Select(c => char.IsControl(c) ? '?' : c)]);
}
