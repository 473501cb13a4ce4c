using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Interop;

/// <summary>An independent API, configured only with this server's address, accepts its JWTs (discovery + JWKS).</summary>
public sealed class JwtBearerApiTests(ServerFactory server) : IClassFixture<ServerFactory>, IAsyncLifetime
{
    private WebApplication? api;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthentication().AddJwtBearer(o =>
        {
            o.Authority = "http://localhost/";
            o.RequireHttpsMetadata = false;
            o.Audience = "demo-api";
            o.MapInboundClaims = false;
            o.BackchannelHttpHandler = server.Server.CreateHandler();
        });
        builder.Services.AddAuthorization();
        api = builder.Build();
        api.UseAuthentication();
        api.UseAuthorization();
        api.MapGet("/whoami", (ClaimsPrincipal user) => user.FindFirst("sub")?.Value).RequireAuthorization();
        await api.StartAsync();
    }

    public async Task DisposeAsync() => await api!.DisposeAsync();

    private async Task<HttpResponseMessage> CallApiAsync(string? token)
    {
        using var client = api!.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request);
    }

    [Fact]
    public async Task ApiAcceptsAClientCredentialsToken()
    {
        using var http = server.CreateClient();
        var token = (await OAuth.JsonAsync(await Grants.MachineTokenAsync(http)))
            .GetProperty("access_token").GetString();
        var response = await CallApiAsync(token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("machine", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ApiAcceptsAUserTokenAndRejectsTheIdToken()
    {
        using var browser = server.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser);
        var ok = await CallApiAsync(tokens.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(OAuth.JwtPayload(tokens.GetProperty("id_token").GetString()!)["sub"].GetString(), await ok.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, (await CallApiAsync(tokens.GetProperty("id_token").GetString())).StatusCode);
    }

    [Fact]
    public async Task ApiRejectsATokenWithoutItsAudience()
    {
        using var http = server.CreateClient();
        var token = (await OAuth.JsonAsync(await OAuth.TokenAsync(http, Grants.ClientCredentials(), (OAuth.Api, OAuth.ApiSecret))))
            .GetProperty("access_token").GetString();
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallApiAsync(token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallApiAsync(null)).StatusCode);
    }
}
