using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.ResourceIndicators;

/// <summary>
/// RFC 8707 through Duende.IdentityModel: a token asked for named resources has exactly those as <c>aud</c>; each must
/// be declared and permitted to the client; a token request (and every refresh) may narrow the granted set, never widen it.
/// </summary>
public sealed class ResourceIndicatorTests(ResourceServer server) : IClassFixture<ResourceServer>
{
    private const string TokenAddress = "http://localhost/connect/token";

    [Fact]
    public async Task TheAccessTokenIsForExactlyTheResourceAskedForAndARefreshNarrowsButNeverWidens()
    {
        using var browser = server.CreateBrowser();
        var (code, verifier) = await AuthorizeAsync(browser, ResourceServer.Orders, ResourceServer.Billing);

        var first = await browser.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = TokenAddress, ClientId = OAuth.Spa, Code = code, RedirectUri = OAuth.SpaRedirect, CodeVerifier = verifier,
            Resource = { ResourceServer.Orders },
        });
        Assert.False(first.IsError, first.Error + " " + first.ErrorDescription);
        Assert.Equal([ResourceServer.Orders], Audiences(first.AccessToken!));

        // Without resource: every granted resource. With one: that one. Each answer leaves the grant as it was.
        var all = await RefreshAsync(browser.Http, first.RefreshToken!);
        Assert.Equal([ResourceServer.Billing, ResourceServer.Orders], Audiences(all.AccessToken!).Order(StringComparer.Ordinal));
        var billing = await RefreshAsync(browser.Http, all.RefreshToken!, ResourceServer.Billing);
        Assert.Equal([ResourceServer.Billing], Audiences(billing.AccessToken!));
        var orders = await RefreshAsync(browser.Http, billing.RefreshToken!, ResourceServer.Orders);
        Assert.Equal([ResourceServer.Orders], Audiences(orders.AccessToken!));

        // Permitted to the client, but never granted by the person: refused, the refresh token still serves.
        var widened = await RefreshAsync(browser.Http, orders.RefreshToken!, ResourceServer.Reports);
        Assert.Equal(HttpStatusCode.BadRequest, widened.HttpStatusCode);
        Assert.Equal("invalid_target", widened.Error);
        Assert.False((await RefreshAsync(browser.Http, orders.RefreshToken!)).IsError);
    }

    [Fact]
    public async Task APushedRequestCarriesItsResourceAndAPushForAnUnpermittedOneIsInvalidTarget()
    {
        using var browser = server.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        var pushed = await browser.Http.PushAuthorizationAsync(new PushedAuthorizationRequest
        {
            Address = "http://localhost/connect/par", ClientId = OAuth.Spa, ResponseType = "code", Scope = "openid api",
            RedirectUri = OAuth.SpaRedirect, State = "st", CodeChallenge = challenge, CodeChallengeMethod = "S256",
            Resource = { ResourceServer.Billing },
        });
        Assert.False(pushed.IsError, pushed.Error + " " + pushed.Raw);
        Assert.InRange(pushed.ExpiresIn ?? 0, 1, 600);

        var address = new RequestUrl("/connect/authorize").Create(new Parameters { { "client_id", OAuth.Spa }, { "request_uri", pushed.RequestUri! } });
        var code = OAuth.Query(await OAuth.AuthorizeAsync(browser, address))["code"];
        var tokens = await browser.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = TokenAddress, ClientId = OAuth.Spa, Code = code, RedirectUri = OAuth.SpaRedirect, CodeVerifier = verifier,
        });
        Assert.False(tokens.IsError, tokens.Error);
        Assert.Equal([ResourceServer.Billing], Audiences(tokens.AccessToken!));

        var refused = await browser.Http.PushAuthorizationAsync(new PushedAuthorizationRequest
        {
            Address = "http://localhost/connect/par", ClientId = OAuth.Spa, ResponseType = "code", Scope = "openid api",
            RedirectUri = OAuth.SpaRedirect, CodeChallenge = challenge, CodeChallengeMethod = "S256", Resource = { ResourceServer.Payroll },
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.HttpStatusCode);
        Assert.Equal("invalid_target", refused.Error);
    }

    [Fact]
    public async Task AGrantMadeWithoutResourcesCannotBeTurnedIntoOneForAResource()
    {
        using var browser = server.CreateBrowser();
        var (code, verifier) = await AuthorizeAsync(browser);
        var response = await browser.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = TokenAddress, ClientId = OAuth.Spa, Code = code, RedirectUri = OAuth.SpaRedirect, CodeVerifier = verifier,
            Resource = { ResourceServer.Orders },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.HttpStatusCode);
        Assert.Equal("invalid_target", response.Error);
    }

    [Fact]
    public async Task WithoutResourceTheScopesStillDecideTheAudience()
    {
        using var browser = server.CreateBrowser();
        var (code, verifier) = await AuthorizeAsync(browser);
        var response = await browser.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = TokenAddress, ClientId = OAuth.Spa, Code = code, RedirectUri = OAuth.SpaRedirect, CodeVerifier = verifier,
        });
        Assert.False(response.IsError, response.Error);
        Assert.Equal([OAuth.Api], Audiences(response.AccessToken!));
    }

    [Theory]
    [InlineData(ResourceServer.Payroll)] // declared, not permitted to the spa
    [InlineData("https://unknown.example/")] // never declared
    [InlineData("orders")] // not an absolute URI
    [InlineData("https://orders.example/#frag")] // RFC 8707 §2: no fragment
    public async Task AnAuthorizationRequestForAResourceTheClientMayNotHaveIsInvalidTarget(string resource)
    {
        using var browser = server.CreateBrowser();
        var (_, challenge) = OAuth.Pkce();
        var request = OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge);
        request["resource"] = resource;
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = OAuth.Query(response.Headers.Location!);
        Assert.True(query["error"] is "invalid_target" or "invalid_request", string.Join(", ", query));
        Assert.Equal("invalid_target", query["error"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task AMachineClientGetsATokenForAPermittedResourceAndInvalidTargetForAnother()
    {
        using var http = server.CreateClient();
        var orders = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = TokenAddress, ClientId = OAuth.Machine, ClientSecret = OAuth.MachineSecret, Scope = "api", Resource = { ResourceServer.Orders },
        });
        Assert.False(orders.IsError, orders.Error);
        Assert.Equal([ResourceServer.Orders], Audiences(orders.AccessToken!));

        var payroll = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = TokenAddress, ClientId = OAuth.Machine, ClientSecret = OAuth.MachineSecret, Scope = "api", Resource = { ResourceServer.Payroll },
        });
        Assert.Equal(HttpStatusCode.BadRequest, payroll.HttpStatusCode);
        Assert.Equal("invalid_target", payroll.Error);
    }

    private static async Task<(string Code, string Verifier)> AuthorizeAsync(Browser browser, params string[] resources)
    {
        var (verifier, challenge) = OAuth.Pkce();
        var query = QueryWithResources(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge)), resources);
        var redirect = await OAuth.AuthorizeAsync(browser, query);
        return (OAuth.Query(redirect)["code"], verifier);
    }

    /// <summary>resource is repeated once per resource (RFC 8707 §2), which a dictionary cannot say.</summary>
    private static string QueryWithResources(string url, string[] resources) =>
        url + string.Concat(resources.Select(r => "&resource=" + Uri.EscapeDataString(r)));

    private static Task<TokenResponse> RefreshAsync(HttpClient http, string refreshToken, string? resource = null)
    {
        var request = new RefreshTokenRequest { Address = TokenAddress, ClientId = OAuth.Spa, RefreshToken = refreshToken };
        if (resource is not null)
        {
            request.Resource.Add(resource);
        }

        return http.RequestRefreshTokenAsync(request);
    }

    private static List<string> Audiences(string jwt) => OAuth.JwtPayload(jwt)["aud"] switch
    {
        { ValueKind: JsonValueKind.Array } array => [.. array.EnumerateArray().Select(a => a.GetString()!)],
        var single => [single.GetString()!],
    };
}

/// <summary>The demo server with four declared APIs; the spa may ask for three of them, the machine client for one.</summary>
public sealed class ResourceServer : ServerFactory
{
    public const string Orders = "https://orders.example/";
    public const string Billing = "https://billing.example/";
    public const string Reports = "https://reports.example/";
    public const string Payroll = "https://payroll.example/";

    public ResourceServer()
    {
        DeclareResources(this);
        this.OverrideClient(OAuth.Spa, "Resources:0", Orders);
        this.OverrideClient(OAuth.Spa, "Resources:1", Billing);
        this.OverrideClient(OAuth.Spa, "Resources:2", Reports);
        this.OverrideClient(OAuth.Machine, "Resources:0", Orders);
    }

    /// <summary>Declares the four APIs under IdentityServer:Resources.</summary>
    public static void DeclareResources(ServerFactory server)
    {
        string[] resources = [Orders, Billing, Reports, Payroll];
        for (var i = 0; i < resources.Length; i++)
        {
            server.Settings[$"IdentityServer:Resources:{i}:Uri"] = resources[i];
        }
    }
}
