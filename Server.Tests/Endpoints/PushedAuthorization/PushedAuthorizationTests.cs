using System.Net;
using System.Text.Json;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.PushedAuthorization;

/// <summary>
/// Pushed authorization requests (RFC 9126) at /connect/par, on the wire. Microsoft's OpenID Connect handler
/// uses them by itself once discovery advertises them (Interop/OpenIdConnectRelyingPartyTests).
/// </summary>
public sealed class PushedAuthorizationTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private static async Task<HttpResponseMessage> PushAsync(HttpClient http, IDictionary<string, string?> request) =>
        await http.PostAsync("/connect/par", new FormUrlEncodedContent(request.Select(p => KeyValuePair.Create(p.Key, p.Value ?? ""))));

    /// <summary>Pushes the request and returns the authorization address that refers to it.</summary>
    private static async Task<(string Address, int ExpiresIn)> PushedAsync(HttpClient http, Dictionary<string, string?> request)
    {
        var response = await PushAsync(http, request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var body = await OAuth.JsonAsync(response);
        var requestUri = body.GetProperty("request_uri").GetString()!;
        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", requestUri, StringComparison.Ordinal);
        return (OAuth.AuthorizeUrl(new Dictionary<string, string?> { ["client_id"] = request["client_id"], ["request_uri"] = requestUri }), body.GetProperty("expires_in").GetInt32());
    }

    [Fact]
    public async Task APushedRequestSignsInThroughLoginAndConsentAndWorksOnce()
    {
        using var browser = server.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        var request = OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge);
        var (address, expiresIn) = await PushedAsync(browser.Http, request);
        Assert.InRange(expiresIn, 1, 600);

        var redirect = await OAuth.AuthorizeAsync(browser, OAuth.Query(new Uri("http://localhost" + address)).ToDictionary(p => p.Key, p => (string?)p.Value));
        var answer = OAuth.Query(redirect);
        Assert.Equal(request["state"], answer["state"]);
        var token = await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = OAuth.Spa, ["code"] = answer["code"],
            ["redirect_uri"] = OAuth.SpaRedirect, ["code_verifier"] = verifier,
        });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);

        // The request_uri is single-use: the same address gives no second code.
        var again = await browser.GetAsync(address);
        Assert.False(again.Headers.Location?.AbsoluteUri.StartsWith(OAuth.SpaRedirect + "?code=", StringComparison.Ordinal) ?? false);
    }

    [Fact]
    public async Task APushedRequestExpires()
    {
        // Its own server: the clock moves.
        await using var own = new ServerFactory();
        using var browser = own.CreateBrowser();
        await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge));
        var request = OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge);
        using var web = own.CreateClient();
        web.DefaultRequestHeaders.Authorization = OAuth.BasicAuth(OAuth.Web, OAuth.WebSecret);
        var (address, expiresIn) = await PushedAsync(web, request);

        own.Time.Advance(TimeSpan.FromSeconds(expiresIn + 1));
        var response = await browser.GetAsync(address);

        Assert.Null(response.Headers.Location);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task AClientThatMustPushGetsInvalidRequestWithoutIt()
    {
        // Its own server: the SPA is configured to require pushed requests.
        await using var own = new ServerFactory();
        own.OverrideClient(OAuth.Spa, "RequirePushedAuthorizationRequests", "true");
        using var browser = own.CreateBrowser();

        var plain = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, OAuth.Pkce().Challenge)));
        var refused = OAuth.Query(plain.Headers.Location!);
        Assert.Equal("invalid_request", refused["error"]);
        Assert.False(refused.ContainsKey("code"));

        var (address, _) = await PushedAsync(browser.Http, OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, OAuth.Pkce().Challenge));
        var redirect = await OAuth.AuthorizeAsync(browser, OAuth.Query(new Uri("http://localhost" + address)).ToDictionary(p => p.Key, p => (string?)p.Value));
        Assert.True(OAuth.Query(redirect).ContainsKey("code"));
    }

    [Fact]
    public async Task APushWithARequestUriOrAnUnregisteredRedirectIsInvalidRequest()
    {
        using var http = server.CreateClient();
        var nested = OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, OAuth.Pkce().Challenge);
        nested["request_uri"] = "urn:ietf:params:oauth:request_uri:abc";
        var elsewhere = OAuth.CodeRequest(OAuth.Spa, "https://evil.example/callback", OAuth.Pkce().Challenge);

        foreach (var request in new[] { nested, elsewhere })
        {
            var response = await PushAsync(http, request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_request", (await OAuth.JsonAsync(response)).GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task AConfidentialClientMustAuthenticateToPush()
    {
        using var http = server.CreateClient();
        var response = await PushAsync(http, OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await OAuth.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task DiscoveryAdvertisesThePushEndpoint()
    {
        using var http = server.CreateClient();
        var discovery = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration")).RootElement;

        Assert.Equal("http://localhost/connect/par", discovery.GetProperty("pushed_authorization_request_endpoint").GetString());
    }
}
