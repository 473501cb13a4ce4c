using System.Net;
using Duende.IdentityModel.Client;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Admin;

/// <summary>
/// What outlives a restart (entities made through the API; configuration's are re-applied around them), the rate
/// limit, and a token obtained by an independent client library.
/// </summary>
public sealed class AdminApiLifecycleTests
{
    [Fact]
    public async Task EntitiesMadeThroughTheApiSurviveARestartUntouchedBySeeding()
    {
        var folder = ServerFactory.NewFolder();
        try
        {
            await using (var first = new ServerFactory { Folder = folder })
            {
                using var http = first.CreateClient();
                var token = await AdminApi.TokenAsync(http);
                await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/clients", token,
                    """{"clientId":"kept","type":"public","grantTypes":["authorization_code"],"redirectUris":["https://kept.example/cb"],"scopes":["openid","api"]}"""), HttpStatusCode.Created);
                await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/scopes", token, """{"name":"kept-scope"}"""), HttpStatusCode.Created);
            }

            await using var second = new ServerFactory { Folder = folder };
            using var again = second.CreateClient();
            var admin = await AdminApi.TokenAsync(again);

            var client = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(again, "/admin/api/clients/kept", admin));
            var scope = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(again, "/admin/api/scopes/kept-scope", admin));
            Assert.Equal("api", client.GetProperty("managedBy").GetString());
            Assert.Equal("https://kept.example/cb", client.GetProperty("redirectUris")[0].GetString());
            Assert.Equal("api", scope.GetProperty("managedBy").GetString());
            Assert.Equal("configuration", (await AdminApi.OkJsonAsync(await AdminApi.GetAsync(again, "/admin/api/clients/spa", admin))).GetProperty("managedBy").GetString());
        }
        finally
        {
            ServerFactory.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task TooManyRequestsFromOneAddressAreAProblem429WithRetryAfter()
    {
        await using var server = new ServerFactory();
        server.Settings["IdentityServer:RateLimits:AdminRequestsPerMinutePerAddress"] = "3";
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http, "admin.read");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await AdminApi.GetAsync(http, "/admin/api/keys", token)).StatusCode);
        }

        var limited = await AdminApi.GetAsync(http, "/admin/api/keys", token);

        await AdminApi.ProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);
    }

    [Fact]
    public async Task DuendeIdentityModelObtainsAnAdminToken()
    {
        await using var server = new ServerFactory();
        using var http = server.CreateClient();

        var response = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = "/connect/token",
            ClientId = AdminApi.Cli,
            ClientSecret = AdminApi.CliSecret,
            Scope = "admin.read",
        });

        Assert.False(response.IsError, response.Error);
        Assert.Equal(HttpStatusCode.OK, (await AdminApi.GetAsync(http, "/admin/api/clients", response.AccessToken)).StatusCode);
        Assert.Contains("admin-api", OAuth.JwtPayload(response.AccessToken!)["aud"].ToString(), StringComparison.Ordinal);
    }
}
