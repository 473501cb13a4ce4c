using System.Text.Json;
using IdentityServer.Oidc;
using IdentityServer.Seeding;

namespace IdentityServer.ClientMetadata;

/// <summary>
/// A client ID metadata document (draft-ietf-oauth-client-id-metadata-document) as this server accepts it:
/// its <c>client_id</c> is exactly the URL it was fetched from; it uses code + PKCE (and refresh tokens) only;
/// it is a public client (<c>none</c>) or authenticates with keys (<c>private_key_jwt</c> with <c>jwks</c> or
/// <c>jwks_uri</c>); its redirect URIs are https, or http on a loopback address. Its name is only what the
/// client says of itself; its logo is not used.
/// </summary>
internal sealed record ClientDocument(
    string ClientId,
    string? ClientName,
    IReadOnlyList<Uri> RedirectUris,
    IReadOnlyList<string> GrantTypes,
    bool UsesKeys,
    string? Jwks,
    Uri? JwksUri)
{
    public const string None = "none";
    public const string PrivateKeyJwt = "private_key_jwt";
    public const int MaxNameLength = 100;
    public const int MaxRedirectUris = 20;

    /// <summary>The document, or what is wrong with it in words a developer can act on.</summary>
    public static (ClientDocument? Document, string? Problem) Parse(byte[] body, string url)
    {
        try
        {
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            return json.RootElement.ValueKind == JsonValueKind.Object ? Read(json.RootElement, url) : (null, "it is not a JSON object");
        }
        catch (JsonException)
        {
            return (null, "it is not valid JSON");
        }
    }

    private static (ClientDocument?, string?) Read(JsonElement root, string url)
    {
        if (String(root, "client_id") != url)
        {
            return (null, "its client_id is not exactly the URL it was fetched from");
        }

        if (root.TryGetProperty("client_secret", out _) || root.TryGetProperty("client_secret_expires_at", out _))
        {
            return (null, "it carries a client secret, which a public document must not");
        }

        var method = String(root, "token_endpoint_auth_method") ?? None;
        if (method is not (None or PrivateKeyJwt))
        {
            return (null, $"token_endpoint_auth_method '{method}' is not supported; use none or private_key_jwt");
        }

        if (Strings(root, "grant_types", ["authorization_code"]) is not { } grants || grants.Any(g => g is not ("authorization_code" or "refresh_token")) || !grants.Contains("authorization_code"))
        {
            return (null, "grant_types must be authorization_code, optionally with refresh_token");
        }

        if (Strings(root, "response_types", ["code"]) is not ["code"])
        {
            return (null, "response_types must be [\"code\"]");
        }

        if (Strings(root, "redirect_uris", []) is not { Count: > 0 and <= MaxRedirectUris } redirects)
        {
            return (null, $"redirect_uris must list between 1 and {MaxRedirectUris} URIs");
        }

        var redirectUris = new List<Uri>();
        foreach (var redirect in redirects)
        {
            if (!RedirectRules.IsAcceptable(redirect, out var uri))
            {
                return (null, $"redirect URI '{redirect}' is not an https URI, or an http URI on a loopback address, without a fragment");
            }

            redirectUris.Add(uri);
        }

        var name = String(root, "client_name");
        if (name is { Length: > MaxNameLength } || (name is not null && !ClientNames.IsFit(name)))
        {
            return (null, $"client_name must be at most {MaxNameLength} characters, none of them control, format (text-direction, zero-width) or line-break characters");
        }

        var keys = KeysOf(root, method);
        return keys.Problem is { } keyProblem
            ? (null, keyProblem)
            : (new ClientDocument(url, name, redirectUris, grants, method == PrivateKeyJwt, keys.Jwks, keys.JwksUri), null);
    }

    private static (string? Jwks, Uri? JwksUri, string? Problem) KeysOf(JsonElement root, string method)
    {
        var hasJwks = root.TryGetProperty("jwks", out var jwks);
        var jwksUri = String(root, "jwks_uri");
        if (method == None)
        {
            return hasJwks || jwksUri is not null ? (null, null, "jwks and jwks_uri belong to private_key_jwt clients only") : (null, null, null);
        }

        if (hasJwks == (jwksUri is not null))
        {
            return (null, null, "a private_key_jwt client must give exactly one of jwks and jwks_uri");
        }

        if (jwksUri is not null)
        {
            return Uri.TryCreate(jwksUri, UriKind.Absolute, out var uri) ? (null, uri, null) : (null, null, "jwks_uri is not an absolute URI");
        }

        var text = jwks.GetRawText();
        return DeclarationRules.KeySetProblem(text) is { } problem ? (null, null, "jwks " + problem) : (text, null, null);
    }

    /// <summary>
    /// Control characters, line and paragraph separators, and the marks, embeddings, overrides and isolates that
    /// change the direction of text: in a name shown inside this server's own sentences, one of them would turn
    /// the rest of the sentence around (the consent page's "… to access your account?" read backwards).
    /// </summary>
    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>An array of strings, the fallback when the member is absent, or null when it is anything else.</summary>
    private static List<string>? Strings(JsonElement root, string name, List<string> fallback)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            return null;
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }
}
