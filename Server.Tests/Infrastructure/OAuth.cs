using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Tests.Infrastructure;

/// <summary>A hand-driven OAuth client: builds requests exactly as they go on the wire.</summary>
public static class OAuth
{
    public const string Spa = "spa";
    public const string SpaRedirect = "http://localhost:5173/callback";
    public const string Web = "web";
    public const string WebSecret = "web-secret-change-me-0123456789";
    public const string WebRedirect = "http://localhost:5002/signin-oidc";
    public const string Machine = "machine";
    public const string MachineSecret = "machine-secret-change-me-0123456789";
    public const string Api = "demo-api";
    public const string ApiSecret = "demo-api-secret-change-me-0123456789";

    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string AuthorizeUrl(IDictionary<string, string?> parameters) => QueryHelpers.AddQueryString("/connect/authorize", parameters);

    public static Dictionary<string, string?> CodeRequest(string clientId, string redirectUri, string challenge, string scope = "openid profile email roles offline_access api") => new()
    {
        ["client_id"] = clientId,
        ["redirect_uri"] = redirectUri,
        ["response_type"] = "code",
        ["scope"] = scope,
        ["state"] = "st-" + Guid.NewGuid().ToString("N"),
        ["nonce"] = "n-" + Guid.NewGuid().ToString("N"),
        ["code_challenge"] = challenge,
        ["code_challenge_method"] = "S256",
    };

    /// <summary>Follows an authorization request through sign-in and consent to the redirect back to the client.</summary>
    public static Task<Uri> AuthorizeAsync(Browser browser, IDictionary<string, string?> request, string login = "alice", string password = ServerFactory.AlicePassword, bool consent = true) =>
        AuthorizeAsync(browser, AuthorizeUrl(request), login, password, consent);

    /// <summary>The same from a ready-made authorization address (one that repeats a parameter, say).</summary>
    public static async Task<Uri> AuthorizeAsync(Browser browser, string authorizeUrl, string login = "alice", string password = ServerFactory.AlicePassword, bool consent = true)
    {
        var response = await browser.GetAsync(authorizeUrl);
        for (var step = 0; step < 6; step++)
        {
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                var location = response.Headers.Location!;
                if (location.IsAbsoluteUri && !location.AbsoluteUri.StartsWith("http://localhost/", StringComparison.Ordinal))
                {
                    return location;
                }

                response = await browser.GetAsync(location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
                continue;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{(int)response.StatusCode} from {response.RequestMessage!.RequestUri}: {await response.Content.ReadAsStringAsync()}");
            }

            var path = response.RequestMessage!.RequestUri!.AbsolutePath;
            response = path.StartsWith("/Account/Login", StringComparison.OrdinalIgnoreCase)
                ? await browser.SubmitFormAsync(response, new Dictionary<string, string> { ["Login"] = login, ["Password"] = password })
                : await browser.SubmitFormAsync(response, button: ("consent", consent ? "accept" : "deny"));
        }

        throw new InvalidOperationException("The authorization flow did not come back to the client.");
    }

    public static Dictionary<string, string> Query(Uri redirect) =>
        QueryHelpers.ParseQuery(redirect.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    public static async Task<HttpResponseMessage> TokenAsync(HttpClient http, IDictionary<string, string> form, (string Id, string Secret)? basic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(form) };
        if (basic is { } b)
        {
            request.Headers.Authorization = BasicAuth(b.Id, b.Secret);
        }

        return await http.SendAsync(request);
    }

    public static AuthenticationHeaderValue BasicAuth(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(id)}:{Uri.EscapeDataString(secret)}")));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>Runs the whole code + PKCE flow for the SPA (as alice, or the person given) and redeems the code.</summary>
    public static async Task<JsonElement> SignInSpaAsync(Browser browser, string scope = "openid profile email roles offline_access api", string login = "alice", string password = ServerFactory.AlicePassword)
    {
        var (verifier, challenge) = Pkce();
        var request = CodeRequest(Spa, SpaRedirect, challenge, scope);
        var redirect = await AuthorizeAsync(browser, request, login, password);
        var code = Query(redirect)["code"];
        var response = await TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = Spa, ["code"] = code,
            ["redirect_uri"] = SpaRedirect, ["code_verifier"] = verifier,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    public static async Task<JsonElement> IntrospectAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/introspect")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }),
        };
        request.Headers.Authorization = BasicAuth(Api, ApiSecret);
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    public static Dictionary<string, JsonElement> JwtPayload(string jwt) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(jwt.Split('.')[1]))!;

    public static Dictionary<string, JsonElement> JwtHeader(string jwt) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(jwt.Split('.')[0]))!;
}
