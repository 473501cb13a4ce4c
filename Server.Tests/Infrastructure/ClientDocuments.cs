using System.Text.Json;

namespace IdentityServer.Tests.Infrastructure;

/// <summary>Client metadata documents as a client would publish them, and ways to spoil one.</summary>
internal static class ClientDocuments
{
    public const string Callback = "http://127.0.0.1/callback";

    public static string Json(string clientId, string[]? redirectUris = null, string? name = "Friendly Tool", string[]? grantTypes = null,
        Dictionary<string, object?>? extra = null)
    {
        var document = new Dictionary<string, object?>
        {
            ["client_id"] = clientId,
            ["client_name"] = name,
            ["redirect_uris"] = redirectUris ?? [Callback],
            ["grant_types"] = grantTypes ?? ["authorization_code", "refresh_token"],
            ["response_types"] = new[] { "code" },
            ["token_endpoint_auth_method"] = "none",
        };
        foreach (var (key, value) in extra ?? [])
        {
            document[key] = value;
        }

        return JsonSerializer.Serialize(document.Where(p => p.Value is not null).ToDictionary());
    }
}
