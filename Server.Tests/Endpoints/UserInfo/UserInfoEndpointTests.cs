using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IdentityServer.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Tests.Endpoints.UserInfo;

public sealed class UserInfoEndpointTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private async Task<HttpResponseMessage> UserInfoAsync(string? bearer, HttpMethod? method = null)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, "/connect/userinfo");
        if (request.Method == HttpMethod.Post)
        {
            request.Content = new FormUrlEncodedContent([]);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await http.SendAsync(request);
    }

    private static void AssertInvalidToken(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("Bearer", challenge, StringComparison.Ordinal);
        Assert.Contains("invalid_token", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClaimsFollowTheGrantedScopes()
    {
        using var browser = server.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser, "openid email");
        var response = await UserInfoAsync(tokens.GetProperty("access_token").GetString(), HttpMethod.Post);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var claims = await OAuth.JsonAsync(response);
        Assert.Equal("alice@example.com", claims.GetProperty("email").GetString());
        Assert.False(claims.TryGetProperty("name", out _));
        Assert.False(claims.TryGetProperty("preferred_username", out _));
        Assert.False(claims.TryGetProperty("role", out _));
    }

    [Fact]
    public async Task ProfileScopeReleasesNameAndUpdatedAt()
    {
        using var browser = server.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser, "openid profile");
        var claims = await OAuth.JsonAsync(await UserInfoAsync(tokens.GetProperty("access_token").GetString()));
        Assert.Equal("alice", claims.GetProperty("preferred_username").GetString());
        Assert.True(claims.GetProperty("updated_at").GetInt64() > 0);
        Assert.False(claims.TryGetProperty("email", out _));
    }

    [Fact]
    public async Task MissingTokenIsChallenged()
    {
        var response = await UserInfoAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdTokenUsedAsBearerIsRejected()
    {
        using var browser = server.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser);
        AssertInvalidToken(await UserInfoAsync(tokens.GetProperty("id_token").GetString()));
    }

    [Fact]
    public async Task RefreshTokenUsedAsBearerIsRejected()
    {
        using var browser = server.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser);
        AssertInvalidToken(await UserInfoAsync(tokens.GetProperty("refresh_token").GetString()));
    }

    [Fact]
    public async Task UnsignedAlgNoneTokenIsRejected()
    {
        using var browser = server.CreateBrowser();
        var real = OAuth.JwtPayload((await OAuth.SignInSpaAsync(browser)).GetProperty("access_token").GetString()!);
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"at+jwt\"}");
        var payload = Base64UrlEncoder.Encode(JsonSerializer.Serialize(real));
        AssertInvalidToken(await UserInfoAsync($"{header}.{payload}."));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.AAAA")]
    public async Task GarbageTokenIsRejected(string token) => AssertInvalidToken(await UserInfoAsync(token));

    [Fact]
    public async Task TamperedAccessTokenIsRejected()
    {
        using var browser = server.CreateBrowser();
        var token = (await OAuth.SignInSpaAsync(browser)).GetProperty("access_token").GetString()!;
        var parts = token.Split('.');
        var claims = OAuth.JwtPayload(token);
        claims["sub"] = JsonSerializer.SerializeToElement("someone-else");
        parts[1] = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(claims)));
        AssertInvalidToken(await UserInfoAsync(string.Join('.', parts)));
    }

    [Fact]
    public async Task ClientCredentialsTokenHasNoUserInfo()
    {
        using var http = server.CreateClient();
        var token = (await OAuth.JsonAsync(await Grants.MachineTokenAsync(http, scope: null)))
            .GetProperty("access_token").GetString();
        var response = await UserInfoAsync(token);
        Assert.InRange((int)response.StatusCode, 400, 403);
    }
}
