using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Admin;

/// <summary>/admin/api/clients as an admin client sees it on the wire.</summary>
public sealed class AdminClientEndpointTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private static object NewMachine(string clientId) => new { clientId, type = "confidential", grantTypes = new[] { "client_credentials" }, scopes = new[] { "api" } };

    [Fact]
    public async Task ListingClientsShowsTheConfiguredOnesAsManagedByConfiguration()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        var page = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, "/admin/api/clients?q=machine&pageSize=5", token));

        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(5, page.GetProperty("pageSize").GetInt32());
        var machine = Assert.Single(page.GetProperty("items").EnumerateArray(), c => c.GetProperty("clientId").GetString() == OAuth.Machine);
        Assert.Equal("configuration", machine.GetProperty("managedBy").GetString());
        Assert.True(machine.GetProperty("hasSecret").GetBoolean());
        Assert.False(machine.TryGetProperty("clientSecret", out _));
    }

    [Fact]
    public async Task ACreatedClientGetsItsSecretOnceAndCanUseIt()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        var created = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/clients", token, NewMachine("made-by-api")), HttpStatusCode.Created);
        var secret = created.GetProperty("clientSecret").GetString()!;
        Assert.Equal("api", created.GetProperty("client").GetProperty("managedBy").GetString());

        var machineToken = await Grants.MachineTokenAsync(http, "api", ("made-by-api", secret));
        Assert.Equal(HttpStatusCode.OK, machineToken.StatusCode);
        var read = await AdminApi.GetAsync(http, "/admin/api/clients/made-by-api", token);
        var list = await AdminApi.GetAsync(http, "/admin/api/clients?q=made-by-api", token);
        Assert.DoesNotContain(secret, await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
