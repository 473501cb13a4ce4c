using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Admin;

/// <summary>Who may call the admin API: a bearer token for the admin-api audience with the right scope, and nobody else.</summary>
public sealed class AdminApiAccessTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task ARequestWithoutATokenIsAProblem401WithABearerChallenge()
    {
        using var http = server.CreateClient();

        var response = await AdminApi.GetAsync(http, "/admin/api/clients", token: null);

        await AdminApi.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task AGarbageTokenIsAProblem401()
    {
        using var http = server.CreateClient();

        var response = await AdminApi.GetAsync(http, "/admin/api/users", "not-a-token");

        await AdminApi.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReadTokenCannotWrite()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http, "admin.read");

        var read = await AdminApi.GetAsync(http, "/admin/api/clients", token);
        var write = await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/clients", token, """{"clientId":"never-made","type":"public","grantTypes":["authorization_code"],"redirectUris":["https://app.example/cb"]}""");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        await AdminApi.ProblemAsync(write, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminApi.GetAsync(http, "/admin/api/clients/never-made", token)).StatusCode);
    }

    [Fact]
    public async Task ATokenForAnotherAudienceIsRefused()
    {
        using var http = server.CreateClient();
        var api = (await OAuth.JsonAsync(await Grants.MachineTokenAsync(http))).GetProperty("access_token").GetString()!;

        var response = await AdminApi.GetAsync(http, "/admin/api/clients", api);

        await AdminApi.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnUnknownAddressOrMethodIsAProblemToo()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        await AdminApi.ProblemAsync(await AdminApi.GetAsync(http, "/admin/api/nothing-here", token), HttpStatusCode.NotFound);
        await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Patch, "/admin/api/clients", token), HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task ASignedInAdminsCookieOpensNothing()
    {
        using var browser = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/")).StatusCode);

        var response = await browser.GetAsync("/admin/api/users");

        await AdminApi.ProblemAsync(response, HttpStatusCode.Unauthorized);
    }
}
