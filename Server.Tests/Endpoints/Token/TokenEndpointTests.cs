using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Tests.Endpoints.Token;

public sealed class TokenEndpointTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private static async Task AssertError(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = await OAuth.JsonAsync(new HttpResponseMessage { Content = new StringContent(body) });
        Assert.Equal(error, json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("error_description").GetString()));
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    private static async Task<(string Code, string Verifier)> CodeAsync(Browser browser)
    {
        var (verifier, challenge) = OAuth.Pkce();
        var redirect = await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge));
        return (OAuth.Query(redirect)["code"], verifier);
    }

    private static Dictionary<string, string> Redeem(string code, string verifier) => new()
    {
        ["grant_type"] = "authorization_code", ["client_id"] = OAuth.Spa, ["code"] = code,
        ["redirect_uri"] = OAuth.SpaRedirect, ["code_verifier"] = verifier,
    };

    private static Dictionary<string, string> Refresh(string token) => new()
    {
        ["grant_type"] = "refresh_token", ["client_id"] = OAuth.Spa, ["refresh_token"] = token,
    };

    [Fact]
    public async Task ClientCredentialsIssuesAJwtForTheApi()
    {
        using var http = server.CreateClient();
        var response = await Grants.MachineTokenAsync(http);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await OAuth.JsonAsync(response)).GetProperty("access_token").GetString()!;
        var claims = OAuth.JwtPayload(token);
        Assert.Equal("machine", claims["sub"].GetString());
        Assert.Equal("demo-api", claims["aud"].GetString());
        Assert.Equal("api", claims["scope"].GetString());
        Assert.Equal("at+jwt", OAuth.JwtHeader(token)["typ"].GetString());
    }

    [Fact]
    public async Task WrongClientSecretIsUnauthorizedInvalidClient()
    {
        using var http = server.CreateClient();
        var response = await OAuth.TokenAsync(http, Grants.ClientCredentials(), (OAuth.Machine, "not-the-secret-at-all"));
        await AssertError(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task ARememberedSecretNeverAdmitsAWrongOneOrARotatedOne()
    {
        // Its own server: the machine client's secret is rotated.
        using var factory = new ServerFactory();
        using var http = factory.CreateClient();
        var form = Grants.ClientCredentials();
        Assert.Equal(HttpStatusCode.OK, (await OAuth.TokenAsync(http, form, (OAuth.Machine, OAuth.MachineSecret))).StatusCode);
        await AssertError(await OAuth.TokenAsync(http, form, (OAuth.Machine, OAuth.MachineSecret + "x")), HttpStatusCode.Unauthorized, "invalid_client");

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var apps = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var app = (await apps.FindByClientIdAsync(OAuth.Machine))!;
            var descriptor = new OpenIddictApplicationDescriptor();
            await apps.PopulateAsync(descriptor, app);
            descriptor.ClientSecret = "a-brand-new-rotated-secret-value";
            await apps.UpdateAsync(app, descriptor);
        }

        await AssertError(await OAuth.TokenAsync(http, form, (OAuth.Machine, OAuth.MachineSecret)), HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(HttpStatusCode.OK, (await OAuth.TokenAsync(http, form, (OAuth.Machine, "a-brand-new-rotated-secret-value"))).StatusCode);
    }

    [Fact]
    public async Task ClientCredentialsTokensLeaveNoRow()
    {
        // Its own server: it counts every token row.
        using var factory = new ServerFactory();
        using var http = factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Grants.MachineTokenAsync(http, scope: null)).StatusCode);
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        Assert.Equal(0, await db.Set<OpenIddictEntityFrameworkCoreToken>().CountAsync());
    }

    [Fact]
    public async Task IdentityTokensLeaveNoRowWhileUserTokensKeepTheirs()
    {
        // Its own server: it counts every token row.
        using var factory = new ServerFactory();
        using var browser = factory.CreateBrowser();
        var response = await OAuth.SignInSpaAsync(browser);
        Assert.True(response.TryGetProperty("id_token", out _));

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var types = await db.Set<OpenIddictEntityFrameworkCoreToken>().Select(t => t.Type!).ToListAsync();
        Assert.Equal(3, types.Count);
        Assert.Single(types, t => t.EndsWith(":access_token", StringComparison.Ordinal));
        Assert.Single(types, t => t.EndsWith(":refresh_token", StringComparison.Ordinal));
        Assert.Single(types, t => t.EndsWith(":authorization_code", StringComparison.Ordinal));
        Assert.DoesNotContain(types, t => t.Contains("id_token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownClientIsInvalidClient()
    {
        using var http = server.CreateClient();
        var response = await OAuth.TokenAsync(http, Grants.ClientCredentials(), ("ghost", "whatever-secret-here"));
        await AssertError(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task PublicClientCannotUseClientCredentials()
    {
        using var http = server.CreateClient();
        var response = await OAuth.TokenAsync(http, Grants.ClientCredentials(), (OAuth.Spa, "any-secret-at-all"));
        await AssertError(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task ClientCredentialsWithoutASecretIsInvalidClient()
    {
        using var http = server.CreateClient();
        var response = await OAuth.TokenAsync(http, new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = OAuth.Spa });
        await AssertError(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Theory]
    [InlineData("password")]
    [InlineData("implicit")]
    [InlineData("urn:ietf:params:oauth:grant-type:token-exchange")]
    public async Task UnsupportedGrantTypeIsRejected(string grant)
    {
        using var http = server.CreateClient();
        var response = await OAuth.TokenAsync(http, new Dictionary<string, string> { ["grant_type"] = grant, ["username"] = "alice", ["password"] = ServerFactory.AlicePassword }, (OAuth.Machine, OAuth.MachineSecret));
        await AssertError(response, HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task DuplicatedParameterIsInvalidRequest()
    {
        using var http = server.CreateClient();
        var response = await http.PostAsync("/connect/token", new StringContent(
            "grant_type=client_credentials&grant_type=client_credentials&client_id=machine&client_secret=" + OAuth.MachineSecret, Encoding.ASCII, "application/x-www-form-urlencoded"));
        await AssertError(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task GetOnTheTokenEndpointIsInvalidRequest()
    {
        using var http = server.CreateClient();
        var response = await http.GetAsync("/connect/token?grant_type=client_credentials&client_id=machine&client_secret=" + OAuth.MachineSecret);
        await AssertError(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task JsonBodyIsInvalidRequest()
    {
        using var http = server.CreateClient();
        var response = await http.PostAsync("/connect/token", new StringContent("{\"grant_type\":\"client_credentials\"}", Encoding.UTF8, "application/json"));
        await AssertError(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Theory]
    [InlineData("Basic !!!notbase64")]
    [InlineData("Basic bWFjaGluZQ==")]
    [InlineData("Basic")]
    public async Task MalformedBasicHeaderIsRejected(string header)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(Grants.ClientCredentials()),
        };
        request.Headers.TryAddWithoutValidation("Authorization", header);
        var response = await http.SendAsync(request);
        Assert.InRange((int)response.StatusCode, 400, 401);
        Assert.True((await OAuth.JsonAsync(response)).TryGetProperty("error", out _));
    }

    [Fact]
    public async Task WrongCodeVerifierIsInvalidGrant()
    {
        using var browser = server.CreateBrowser();
        var (code, _) = await CodeAsync(browser);
        var response = await OAuth.TokenAsync(browser.Http, Redeem(code, OAuth.Pkce().Verifier));
        await AssertError(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task MissingCodeVerifierIsInvalidRequest()
    {
        using var browser = server.CreateBrowser();
        var (code, _) = await CodeAsync(browser);
        var form = Redeem(code, "x");
        form.Remove("code_verifier");
        await AssertError(await OAuth.TokenAsync(browser.Http, form), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task ReplayedCodeFailsAndRevokesWhatItProduced()
    {
        using var browser = server.CreateBrowser();
        var (code, verifier) = await CodeAsync(browser);
        var first = await OAuth.JsonAsync(await OAuth.TokenAsync(browser.Http, Redeem(code, verifier)));
        var replay = await OAuth.TokenAsync(browser.Http, Redeem(code, verifier));
        await AssertError(replay, HttpStatusCode.BadRequest, "invalid_grant");

        Assert.False((await OAuth.IntrospectAsync(browser.Http, first.GetProperty("access_token").GetString()!)).GetProperty("active").GetBoolean());
        await AssertError(await OAuth.TokenAsync(browser.Http, Refresh(first.GetProperty("refresh_token").GetString()!)), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task RefreshReuseAfterTheLeewayRevokesTheWholeChain()
    {
        // Its own server: the clock moves.
        await using var own = new ServerFactory();
        using var browser = own.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser);
        var original = tokens.GetProperty("refresh_token").GetString()!;
        var rotated = (await OAuth.JsonAsync(await OAuth.TokenAsync(browser.Http, Refresh(original)))).GetProperty("refresh_token").GetString()!;

        own.Time.Advance(TimeSpan.FromSeconds(6));
        await AssertError(await OAuth.TokenAsync(browser.Http, Refresh(original)), HttpStatusCode.BadRequest, "invalid_grant");
        await AssertError(await OAuth.TokenAsync(browser.Http, Refresh(rotated)), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task RefreshReuseWithinTheLeewaySucceeds()
    {
        using var browser = server.CreateBrowser();
        var original = (await OAuth.SignInSpaAsync(browser)).GetProperty("refresh_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await OAuth.TokenAsync(browser.Http, Refresh(original))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await OAuth.TokenAsync(browser.Http, Refresh(original))).StatusCode);
    }

    [Fact]
    public async Task RefreshFailsOnceTheUserIsLockedOut()
    {
        // The shared server: the account locked is this test's own, not alice.
        var name = await People.NewUserAsync(server, "locked");
        using var browser = server.CreateBrowser();
        var refresh = (await OAuth.SignInSpaAsync(browser, login: name, password: People.NewUserPassword)).GetProperty("refresh_token").GetString()!;
        using (var scope = server.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByNameAsync(name))!, server.Time.GetUtcNow().AddHours(1));
        }

        await AssertError(await OAuth.TokenAsync(browser.Http, Refresh(refresh)), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task GarbageCodeIsInvalidGrant()
    {
        using var http = server.CreateClient();
        var response = await OAuth.TokenAsync(http, Redeem(new string('A', 5000), "verifier-verifier-verifier-verifier-verifier"));
        await AssertError(response, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task WrongContentTypeIsInvalidRequest()
    {
        using var http = server.CreateClient();
        using var content = new ByteArrayContent(Encoding.ASCII.GetBytes("grant_type=client_credentials"));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        await AssertError(await http.PostAsync("/connect/token", content), HttpStatusCode.BadRequest, "invalid_request");
    }
}
