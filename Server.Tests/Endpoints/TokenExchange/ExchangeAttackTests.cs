using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using IdentityServer.Tests.Endpoints.ResourceIndicators;
using IdentityServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace IdentityServer.Tests.Endpoints.TokenExchange;

public sealed class ExchangeAttackTests(ITestOutputHelper output)
{
    private const string TokenAddress = "http://localhost/connect/token";

    private static async Task<TokenResponse> SpaTokensAsync(Browser browser, string scope = "openid profile api offline_access")
    {
        var (verifier, challenge) = OAuth.Pkce();
        var url = OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge, scope)) + "&resource=" + Uri.EscapeDataString(ResourceServer.Orders);
        var code = OAuth.Query(await OAuth.AuthorizeAsync(browser, url))["code"];
        var response = await browser.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = TokenAddress, ClientId = OAuth.Spa, Code = code, RedirectUri = OAuth.SpaRedirect, CodeVerifier = verifier,
        });
        Assert.False(response.IsError, response.Error + " " + response.ErrorDescription);
        return response;
    }

    private static Task<TokenResponse> Exchange(HttpClient http, string clientId, string subjectToken, string subjectType, string? resource, string? requested = null, string? scope = null)
    {
        var request = new TokenExchangeTokenRequest
        {
            Address = TokenAddress, ClientId = clientId, ClientSecret = ExchangeServer.Secret,
            SubjectToken = subjectToken, SubjectTokenType = subjectType, Resource = resource, Scope = scope,
        };
        if (requested is not null) request.RequestedTokenType = requested;
        return http.RequestTokenExchangeTokenAsync(request);
    }

    [Fact]
    public async Task OnlyAnAccessTokenIsExchangedAndOnlyForAnAccessToken()
    {
        using var server = new ExchangeServer();
        using var browser = server.CreateBrowser();
        var tokens = await SpaTokensAsync(browser);
        foreach (var (name, token, type) in new[]
        {
            ("refresh", tokens.RefreshToken!, OidcConstants.TokenTypeIdentifiers.RefreshToken),
            ("id", tokens.IdentityToken!, OidcConstants.TokenTypeIdentifiers.IdentityToken),
            ("access-as-jwt", tokens.AccessToken!, OidcConstants.TokenTypeIdentifiers.Jwt),
            ("access-as-id", tokens.AccessToken!, OidcConstants.TokenTypeIdentifiers.IdentityToken),
        })
        {
            var r = await Exchange(browser.Http, ExchangeServer.OrdersApi, token, type, ResourceServer.Billing);
            Assert.True(r.IsError && r.AccessToken is null, $"{name}: {r.HttpStatusCode} {r.Error}");
        }

        var plain = await Exchange(browser.Http, ExchangeServer.OrdersApi, tokens.AccessToken!, OidcConstants.TokenTypeIdentifiers.AccessToken, ResourceServer.Billing, null, "openid profile api offline_access");
        Assert.Null(plain.RefreshToken);
        Assert.Null(plain.IdentityToken);

        foreach (var requested in new[] { OidcConstants.TokenTypeIdentifiers.IdentityToken, OidcConstants.TokenTypeIdentifiers.RefreshToken, OidcConstants.TokenTypeIdentifiers.Jwt })
        {
            var r = await Exchange(browser.Http, ExchangeServer.OrdersApi, tokens.AccessToken!, OidcConstants.TokenTypeIdentifiers.AccessToken, ResourceServer.Billing, requested, "openid profile api offline_access");
            Assert.True(r.IsError && r.AccessToken is null, $"requested {requested}: {r.HttpStatusCode} {r.Error}");
        }
    }

    /// <summary>An exchanged token must not outlive the token it was exchanged from.</summary>
    [Fact]
    public async Task AnExchangedTokenDoesNotOutliveItsSubjectToken()
    {
        using var server = new ExchangeServer();
        using var browser = server.CreateBrowser();
        var subject = (await SpaTokensAsync(browser, "openid profile api")).AccessToken!;
        server.Time.Advance(TimeSpan.FromMinutes(14));
        var billing = await Exchange(browser.Http, ExchangeServer.OrdersApi, subject, OidcConstants.TokenTypeIdentifiers.AccessToken, ResourceServer.Billing);
        Assert.False(billing.IsError, billing.Error);
        var subjectExp = OAuth.JwtPayload(subject)["exp"].GetInt64();
        var exchangedExp = OAuth.JwtPayload(billing.AccessToken!)["exp"].GetInt64();
        output.WriteLine($"subject exp {subjectExp}, exchanged exp {exchangedExp} (+{exchangedExp - subjectExp}s)");

        // ... and the billing API can keep exchanging after the person's token expired.
        server.Time.Advance(TimeSpan.FromMinutes(10));
        var reports = await Exchange(browser.Http, ExchangeServer.BillingApi, billing.AccessToken!, OidcConstants.TokenTypeIdentifiers.AccessToken, ResourceServer.Reports);
        output.WriteLine($"reports after subject expiry: {reports.HttpStatusCode} {reports.Error}");
        Assert.True(exchangedExp <= subjectExp, $"exchanged token lives {exchangedExp - subjectExp}s past the subject token");
    }

    [Theory]
    [InlineData("HTTPS://ORDERS.EXAMPLE/")]
    [InlineData("https://orders.example")]
    [InlineData("https://orders.example/?")]
    [InlineData("https://orders.example/%2e")]
    [InlineData("https://ORDERS.example/")]
    public async Task AResourceSpelledAnotherWayIsInvalidTarget(string resource)
    {
        using var server = new ResourceServer();
        using var http = server.CreateClient();
        var r = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = TokenAddress, ClientId = OAuth.Machine, ClientSecret = OAuth.MachineSecret, Scope = "api", Resource = { resource },
        });
        output.WriteLine($"{resource}: {r.HttpStatusCode} {r.Error} {r.ErrorDescription}");
        Assert.Equal("invalid_target", r.Error);
    }
}
