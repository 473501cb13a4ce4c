using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Registration;

/// <summary>Registration requests as a client sends them on the wire, and a sign-in with the client registered.</summary>
public static class Registrations
{
    public const string Path = "/connect/register";
    public const string LoopbackRedirect = "http://127.0.0.1:49152/callback";

    public static void Enable(ServerFactory server) => server.Settings["IdentityServer:Registration:Enabled"] = "true";

    /// <summary>What an MCP client typically sends: public, code + refresh, one loopback redirect.</summary>
    public static Dictionary<string, object?> Metadata(string redirect = LoopbackRedirect) => new()
    {
        ["client_name"] = "Test MCP client",
        ["redirect_uris"] = new[] { redirect },
        ["grant_types"] = new[] { "authorization_code", "refresh_token" },
        ["response_types"] = new[] { "code" },
        ["token_endpoint_auth_method"] = "none",
        ["scope"] = "openid profile offline_access",
    };

    public static Task<HttpResponseMessage> PostAsync(HttpClient http, object metadata, string? bearer = null) =>
        PostRawAsync(http, JsonSerializer.Serialize(metadata), "application/json", bearer);

    public static async Task<HttpResponseMessage> PostRawAsync(HttpClient http, string body, string? contentType, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await http.SendAsync(request);
    }

    /// <summary>Registers the client and returns the answer's JSON (asserting a 201).</summary>
    public static async Task<JsonElement> RegisterAsync(HttpClient http, object? metadata = null)
    {
        var response = await PostAsync(http, metadata ?? Metadata());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await OAuth.JsonAsync(response);
    }

    /// <summary>RFC 7592 read or delete of a registered client's configuration.</summary>
    public static async Task<HttpResponseMessage> ManageAsync(HttpClient http, HttpMethod method, string clientId, string? bearer)
    {
        using var request = new HttpRequestMessage(method, Path + "/" + Uri.EscapeDataString(clientId));
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await http.SendAsync(request);
    }

    /// <summary>Code + PKCE through the real sign-in and consent pages as alice, then the code redeemed: the token response.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(Browser browser, string clientId, string redirect = LoopbackRedirect, string scope = "openid profile offline_access")
    {
        var (verifier, challenge) = OAuth.Pkce();
        var request = OAuth.CodeRequest(clientId, redirect, challenge, scope);
        var back = await OAuth.AuthorizeAsync(browser, request);
        Assert.StartsWith(redirect + "?", back.AbsoluteUri, StringComparison.Ordinal);
        var answer = OAuth.Query(back);
        Assert.Equal(request["state"], answer["state"]);
        return await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = clientId, ["code"] = answer["code"],
            ["redirect_uri"] = redirect, ["code_verifier"] = verifier,
        });
    }

    public static string Error(JsonElement body) => body.GetProperty("error").GetString()!;
}
