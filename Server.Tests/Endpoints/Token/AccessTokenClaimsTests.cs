using System.Net;
using IdentityServer.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityServer.Tests.Endpoints.Token;

/// <summary>
/// Access tokens follow RFC 9068's claim set (README "Access token claims"): what an API author may rely on,
/// checked on real tokens with Microsoft's JsonWebTokenHandler.
/// </summary>
public sealed class AccessTokenClaimsTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task AUserAccessTokenCarriesTheRfc9068Claims()
    {
        using var browser = server.CreateBrowser();
        var signedInAt = server.Time.GetUtcNow().ToUnixTimeSeconds();
        var tokens = await OAuth.SignInSpaAsync(browser);
        var jwt = tokens.GetProperty("access_token").GetString()!;
        var access = await Tokens.ValidatedAsync(browser.Http, jwt, "at+jwt");

        Assert.Equal(OAuth.Spa, access.GetPayloadValue<string>("client_id"));
        Assert.False(string.IsNullOrEmpty(access.Id));
        Assert.InRange(access.GetPayloadValue<long>("iat"), signedInAt, server.Time.GetUtcNow().ToUnixTimeSeconds() + 1);
        Assert.InRange(access.GetPayloadValue<long>("auth_time"), signedInAt, signedInAt + 1);
        Assert.Equal("1", access.GetPayloadValue<string>("acr"));
        Assert.Equal(["pwd"], Tokens.Amr(jwt));
        Assert.False(string.IsNullOrEmpty(access.Subject));
        Assert.True(access.TryGetPayloadValue<long>("exp", out _));
        Assert.Contains(OAuth.Api, access.Audiences);
        Assert.True(access.TryGetPayloadValue<string>("scope", out var scope) && scope.Split(' ').Contains("api"));
    }

    [Fact]
    public async Task TheIdTokenSaysHowThePersonSignedIn()
    {
        using var browser = server.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser);
        var jwt = tokens.GetProperty("id_token").GetString()!;
        var id = await Tokens.ValidatedAsync(browser.Http, jwt, "JWT");

        Assert.Equal(["pwd"], Tokens.Amr(jwt));
        Assert.Equal("1", id.GetPayloadValue<string>("acr"));
        Assert.True(id.TryGetPayloadValue<long>("auth_time", out _));
    }

    [Fact]
    public async Task ARefreshedAccessTokenKeepsHowAndWhenThePersonSignedIn()
    {
        using var browser = server.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser);
        var first = new JsonWebToken(tokens.GetProperty("access_token").GetString());

        var refreshed = await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(OAuth.Spa, tokens.GetProperty("refresh_token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var jwt = (await OAuth.JsonAsync(refreshed)).GetProperty("access_token").GetString()!;
        var second = await Tokens.ValidatedAsync(browser.Http, jwt, "at+jwt");

        Assert.Equal(first.GetPayloadValue<long>("auth_time"), second.GetPayloadValue<long>("auth_time"));
        Assert.Equal(["pwd"], Tokens.Amr(jwt));
        Assert.Equal("1", second.GetPayloadValue<string>("acr"));
        Assert.Equal(OAuth.Spa, second.GetPayloadValue<string>("client_id"));
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task AMachineTokenNamesItsClientAndNoPerson()
    {
        using var http = server.CreateClient();
        var jwt = (await OAuth.JsonAsync(await Grants.MachineTokenAsync(http))).GetProperty("access_token").GetString()!;
        var access = await Tokens.ValidatedAsync(http, jwt, "at+jwt");

        Assert.Equal(OAuth.Machine, access.GetPayloadValue<string>("client_id"));
        Assert.Equal(OAuth.Machine, access.Subject);
        Assert.False(string.IsNullOrEmpty(access.Id));
        Assert.True(access.TryGetPayloadValue<long>("iat", out _));
        Assert.False(access.TryGetPayloadValue<long>("auth_time", out _));
        Assert.False(access.TryGetPayloadValue<string>("acr", out _));
        Assert.False(OAuth.JwtPayload(jwt).ContainsKey("amr"));
    }
}
