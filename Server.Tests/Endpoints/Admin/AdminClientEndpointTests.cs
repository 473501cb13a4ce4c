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

    [Fact]
    public async Task RotatingASecretStopsTheOldOneAndShowsTheNewOneOnce()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);
        var old = (await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/clients", token, NewMachine("rotated")), HttpStatusCode.Created))
            .GetProperty("clientSecret").GetString()!;

        var rotated = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/clients/rotated/secret", token));
        var secret = rotated.GetProperty("clientSecret").GetString()!;

        Assert.NotEqual(old, secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Grants.MachineTokenAsync(http, "api", ("rotated", old))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Grants.MachineTokenAsync(http, "api", ("rotated", secret))).StatusCode);
        var audit = await AdminApi.GetAsync(http, "/admin/api/audit?clientId=rotated", token);
        Assert.DoesNotContain(secret, await audit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientDeclaredInConfigurationCannotBeChangedRotatedOrDeleted()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        var update = await AdminApi.SendAsync(http, HttpMethod.Put, "/admin/api/clients/machine", token, NewMachine("machine"));
        var rotate = await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/clients/machine/secret", token);
        var delete = await AdminApi.SendAsync(http, HttpMethod.Delete, "/admin/api/clients/machine", token);

        foreach (var response in new[] { update, rotate, delete })
        {
            var problem = await AdminApi.ProblemAsync(response, HttpStatusCode.Conflict, "urn:identityserver:admin:managed-by-configuration");
            Assert.Equal("IdentityServer:Clients", problem.GetProperty("setting").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await Grants.MachineTokenAsync(http)).StatusCode);
    }

    [Fact]
    public async Task AnUpdatedClientKeepsItsSecretAndADeletedOneIsGone()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);
        var secret = (await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/clients", token, NewMachine("changed")), HttpStatusCode.Created))
            .GetProperty("clientSecret").GetString()!;

        var updated = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Put, "/admin/api/clients/changed", token,
            """{"displayName":"Changed","type":"confidential","grantTypes":["client_credentials"],"scopes":["api"],"allowIntrospection":true}"""));

        Assert.Equal("Changed", updated.GetProperty("displayName").GetString());
        Assert.True(updated.GetProperty("allowIntrospection").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await Grants.MachineTokenAsync(http, "api", ("changed", secret))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AdminApi.SendAsync(http, HttpMethod.Delete, "/admin/api/clients/changed", token)).StatusCode);
        await AdminApi.ProblemAsync(await AdminApi.GetAsync(http, "/admin/api/clients/changed", token), HttpStatusCode.NotFound);
        Assert.NotEqual(HttpStatusCode.OK, (await Grants.MachineTokenAsync(http, "api", ("changed", secret))).StatusCode);
    }

    [Fact]
    public async Task AnImpossibleClientIsAValidationProblemNamingEachField()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        var problem = await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/clients", token,
            """{"clientId":"https://evil.example/doc.json","type":"public","grantTypes":["client_credentials","password"],"redirectUris":["javascript:alert(1)"],"scopes":["nope"]}"""),
            HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "clientId", "grantTypes", "redirectUris", "scopes" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/clients", token, NewMachine(OAuth.Spa)), HttpStatusCode.Conflict,
            "urn:identityserver:admin:conflict");
    }
}
