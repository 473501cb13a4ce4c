using System.Net;
using System.Text.Json;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using IdentityServer.Tests.Endpoints.ResourceIndicators;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.TokenExchange;

/// <summary>
/// RFC 8693 through Duende.IdentityModel: the orders API exchanges the person's token (audience orders) for one to
/// the billing API, carrying the person's sub and act naming the orders API; everything else is refused.
/// </summary>
public sealed class TokenExchangeTests(ExchangeServer server) : IClassFixture<ExchangeServer>
{
    private const string TokenAddress = "http://localhost/connect/token";

    [Fact]
    public async Task TheOrdersApiGetsATokenForBillingOnThePersonsBehalf()
    {
        using var browser = server.CreateBrowser();
        var subjectToken = await ExchangeServer.PersonTokenForOrdersAsync(browser);

        var response = await ExchangeAsync(browser.Http, ExchangeServer.OrdersApi, subjectToken, resource: ResourceServer.Billing);
        Assert.False(response.IsError, response.Error + " " + response.ErrorDescription);
        Assert.Equal(OidcConstants.TokenTypeIdentifiers.AccessToken, response.IssuedTokenType);
        Assert.Null(response.RefreshToken);

        var issued = OAuth.JwtPayload(response.AccessToken!);
        var subject = OAuth.JwtPayload(subjectToken);
        Assert.Equal(ResourceServer.Billing, issued["aud"].GetString());
        Assert.Equal(subject["sub"].GetString(), issued["sub"].GetString());
        Assert.Equal(ExchangeServer.OrdersApi, issued["act"].GetProperty("sub").GetString());
        Assert.False(subject.ContainsKey("act"));

        // How and when the person signed in travels with them.
        Assert.Equal(subject["auth_time"].GetInt64(), issued["auth_time"].GetInt64());
        Assert.Equal(["pwd"], issued["amr"].EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(subject["acr"].GetString(), issued["acr"].GetString());
    }

    [Fact]
    public async Task AudienceWorksLikeResourceAndAnExchangedTokenExchangedAgainNestsTheActors()
    {
        using var browser = server.CreateBrowser();
        var subjectToken = await ExchangeServer.PersonTokenForOrdersAsync(browser);
        var billing = await ExchangeAsync(browser.Http, ExchangeServer.OrdersApi, subjectToken, audience: ResourceServer.Billing);
        Assert.False(billing.IsError, billing.Error + " " + billing.ErrorDescription);

        // The billing API, in turn, calls reports.
        var reports = await ExchangeAsync(browser.Http, ExchangeServer.BillingApi, billing.AccessToken!, resource: ResourceServer.Reports);
        Assert.False(reports.IsError, reports.Error + " " + reports.ErrorDescription);
        var act = OAuth.JwtPayload(reports.AccessToken!)["act"];
        Assert.Equal(ExchangeServer.BillingApi, act.GetProperty("sub").GetString());
        Assert.Equal(ExchangeServer.OrdersApi, act.GetProperty("act").GetProperty("sub").GetString());
    }

    [Fact]
    public async Task OnlyAClientAllowedToImpersonateGetsATokenWithoutAct()
    {
        using var browser = server.CreateBrowser();
        var subjectToken = await ExchangeServer.PersonTokenForOrdersAsync(browser);
        var response = await ExchangeAsync(browser.Http, ExchangeServer.Gateway, subjectToken, resource: ResourceServer.Billing);
        Assert.False(response.IsError, response.Error + " " + response.ErrorDescription);
        Assert.False(OAuth.JwtPayload(response.AccessToken!).ContainsKey("act"));
    }

    [Theory]
    [InlineData(ResourceServer.Payroll, null)] // declared, not permitted to the orders API
    [InlineData(null, ResourceServer.Payroll)]
    [InlineData("https://unknown.example/", null)]
    [InlineData(null, null)] // no target at all
    public async Task ATargetTheClientMayNotExchangeForIsInvalidTarget(string? resource, string? audience)
    {
        using var browser = server.CreateBrowser();
        var subjectToken = await ExchangeServer.PersonTokenForOrdersAsync(browser);
        var response = await ExchangeAsync(browser.Http, ExchangeServer.OrdersApi, subjectToken, resource, audience);
        Assert.Equal(HttpStatusCode.BadRequest, response.HttpStatusCode);
        Assert.Equal("invalid_target", response.Error);
    }

    [Theory]
    [InlineData("urn:ietf:params:oauth:token-type:saml2", true)] // a type this server does not take
    [InlineData("", true)] // no type
    [InlineData("urn:ietf:params:oauth:token-type:access_token", false)] // no subject token
    public async Task AMissingOrUnsupportedSubjectTokenIsInvalidRequest(string type, bool withToken)
    {
        using var browser = server.CreateBrowser();
        var subjectToken = await ExchangeServer.PersonTokenForOrdersAsync(browser);
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = OidcConstants.GrantTypes.TokenExchange, ["resource"] = ResourceServer.Billing,
            ["subject_token_type"] = type, ["subject_token"] = withToken ? subjectToken : "",
        };
        var response = await OAuth.TokenAsync(browser.Http, form.Where(p => p.Value.Length > 0).ToDictionary(), (ExchangeServer.OrdersApi, ExchangeServer.Secret));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await OAuth.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task ATokenIssuedForAnotherApiCannotBeExchanged()
    {
        // The payroll API holds a token meant for the orders API (leaked, or forwarded by mistake).
        using var browser = server.CreateBrowser();
        var subjectToken = await ExchangeServer.PersonTokenForOrdersAsync(browser);
        var response = await ExchangeAsync(browser.Http, ExchangeServer.PayrollApi, subjectToken, resource: ResourceServer.Billing);
        Assert.Equal(HttpStatusCode.BadRequest, response.HttpStatusCode);
        Assert.Equal("invalid_grant", response.Error);
    }

    [Fact]
    public async Task ATokenFromAnotherIssuerIsRefused()
    {
        using var browser = server.CreateBrowser();
        var subjectToken = await ExchangeServer.PersonTokenForOrdersAsync(browser);

        // Same claims, signed by a key this server never had.
        using var other = new ServerFactory();
        using var otherBrowser = other.CreateBrowser();
        var foreign = (await OAuth.SignInSpaAsync(otherBrowser)).GetProperty("access_token").GetString()!;
        Assert.NotEqual(subjectToken, foreign);
        var response = await ExchangeAsync(browser.Http, ExchangeServer.OrdersApi, foreign, resource: ResourceServer.Billing);
        Assert.Equal(HttpStatusCode.BadRequest, response.HttpStatusCode);
        Assert.Equal("invalid_grant", response.Error);
    }

    [Fact]
    public async Task AnExpiredSubjectTokenIsRefused()
    {
        using var own = new ExchangeServer();
        using var browser = own.CreateBrowser();
        var subjectToken = await ExchangeServer.PersonTokenForOrdersAsync(browser);
        own.Time.Advance(TimeSpan.FromMinutes(16));

        var response = await ExchangeAsync(browser.Http, ExchangeServer.OrdersApi, subjectToken, resource: ResourceServer.Billing);
        Assert.Equal(HttpStatusCode.BadRequest, response.HttpStatusCode);
        Assert.Equal("invalid_grant", response.Error);
    }

    [Fact]
    public async Task ARevokedSubjectTokenIsRefused()
    {
        using var browser = server.CreateBrowser();
        var subjectToken = await ExchangeServer.PersonTokenForOrdersAsync(browser);
        var revoked = await browser.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = "http://localhost/connect/revoke", ClientId = OAuth.Spa, Token = subjectToken, TokenTypeHint = "access_token",
        });
        Assert.False(revoked.IsError, revoked.Error);

        var response = await ExchangeAsync(browser.Http, ExchangeServer.OrdersApi, subjectToken, resource: ResourceServer.Billing);
        Assert.Equal(HttpStatusCode.BadRequest, response.HttpStatusCode);
        Assert.Equal("invalid_grant", response.Error);
    }

    [Fact]
    public async Task AnActorTokenAndAWiderScopeAreRefused()
    {
        using var browser = server.CreateBrowser();
        var subjectToken = await ExchangeServer.PersonTokenForOrdersAsync(browser, scope: "openid profile");
        var actor = await ExchangeAsync(browser.Http, ExchangeServer.OrdersApi, subjectToken, resource: ResourceServer.Billing, actorToken: subjectToken);
        Assert.Equal(HttpStatusCode.BadRequest, actor.HttpStatusCode);
        Assert.Equal("invalid_request", actor.Error);

        var wider = await ExchangeAsync(browser.Http, ExchangeServer.OrdersApi, subjectToken, resource: ResourceServer.Billing, scope: "openid email");
        Assert.Equal(HttpStatusCode.BadRequest, wider.HttpStatusCode);
        Assert.Equal("invalid_scope", wider.Error);
    }

    [Fact]
    public async Task DiscoveryListsTokenExchangeOnlyWhereAClientMayUseIt()
    {
        using var http = server.CreateClient();
        Assert.Contains(OidcConstants.GrantTypes.TokenExchange, await GrantTypesAsync(http));

        using var plain = new ServerFactory();
        using var plainHttp = plain.CreateClient();
        Assert.DoesNotContain(OidcConstants.GrantTypes.TokenExchange, await GrantTypesAsync(plainHttp));
        var refused = await ExchangeAsync(plainHttp, OAuth.Machine, "x", resource: ResourceServer.Billing, secret: OAuth.MachineSecret);
        Assert.Equal(HttpStatusCode.BadRequest, refused.HttpStatusCode);
        Assert.Equal("unsupported_grant_type", refused.Error);
    }

    private static async Task<List<string>> GrantTypesAsync(HttpClient http)
    {
        using var discovery = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration"));
        return [.. discovery.RootElement.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()!)];
    }

    private static Task<TokenResponse> ExchangeAsync(HttpClient http, string clientId, string subjectToken, string? resource = null, string? audience = null,
        string? actorToken = null, string? scope = null, string? secret = null)
    {
        var request = new TokenExchangeTokenRequest
        {
            Address = TokenAddress, ClientId = clientId, ClientSecret = secret ?? ExchangeServer.Secret,
            SubjectToken = subjectToken, SubjectTokenType = OidcConstants.TokenTypeIdentifiers.AccessToken,
            Resource = resource, Audience = audience, Scope = scope,
        };
        if (actorToken is not null)
        {
            request.ActorToken = actorToken;
            request.ActorTokenType = OidcConstants.TokenTypeIdentifiers.AccessToken;
        }

        return http.RequestTokenExchangeTokenAsync(request);
    }
}

/// <summary>
/// The resource server plus the APIs as clients: orders may exchange its tokens for billing or reports; billing its
/// own for reports; payroll only payroll tokens; the gateway may impersonate.
/// </summary>
public sealed class ExchangeServer : ServerFactory
{
    public const string OrdersApi = "orders-api";
    public const string BillingApi = "billing-api";
    public const string PayrollApi = "payroll-api";
    public const string Gateway = "gateway";
    public const string Secret = "exchange-secret-0123456789abcdef";

    public ExchangeServer()
    {
        ResourceServer.DeclareResources(this);

        this.OverrideClient(OAuth.Spa, "Resources:0", ResourceServer.Orders);
        Declare(OrdersApi, accepts: ResourceServer.Orders, targets: [ResourceServer.Billing, ResourceServer.Reports]);
        Declare(BillingApi, accepts: ResourceServer.Billing, targets: [ResourceServer.Reports]);
        Declare(PayrollApi, accepts: ResourceServer.Payroll, targets: [ResourceServer.Billing]);
        var gateway = Declare(Gateway, accepts: ResourceServer.Orders, targets: [ResourceServer.Billing]);
        Settings[gateway + ":AllowImpersonation"] = "true";
    }

    /// <summary>alice signs in to the spa, which asks for a token for the orders API.</summary>
    public static async Task<string> PersonTokenForOrdersAsync(Browser browser, string scope = "openid profile api")
    {
        var (verifier, challenge) = OAuth.Pkce();
        var url = OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge, scope)) + "&resource=" + Uri.EscapeDataString(ResourceServer.Orders);
        var code = OAuth.Query(await OAuth.AuthorizeAsync(browser, url))["code"];
        var response = await browser.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = "http://localhost/connect/token", ClientId = OAuth.Spa, Code = code, RedirectUri = OAuth.SpaRedirect, CodeVerifier = verifier,
        });
        Assert.False(response.IsError, response.Error + " " + response.ErrorDescription);
        Assert.Equal(ResourceServer.Orders, OAuth.JwtPayload(response.AccessToken!)["aud"].GetString());
        return response.AccessToken!;
    }

    private string Declare(string clientId, string accepts, string[] targets)
    {
        var key = this.DeclareClient(new TestClient(clientId) { Type = "confidential", Secret = Secret, GrantTypes = ["token_exchange"], Scopes = ["openid", "profile", "email", "api"] });
        Settings[key + ":SubjectTokenAudiences:0"] = accepts;
        for (var i = 0; i < targets.Length; i++)
        {
            Settings[$"{key}:Resources:{i}"] = targets[i];
        }

        return key;
    }
}
