using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Admin;

/// <summary>/admin/api/scopes: database scopes are editable, configured ones are not, and a new scope's resources become token audiences.</summary>
public sealed class AdminScopeEndpointTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task AScopeIsCreatedUpdatedAndDeleted()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        var created = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/scopes", token,
            """{"name":"reports","displayName":"Reports","resources":["https://reports.example/"]}"""), HttpStatusCode.Created);
        var updated = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Put, "/admin/api/scopes/reports", token,
            """{"displayName":"Reports API","resources":["https://reports.example/","https://reports2.example/"]}"""));
        var deleted = await AdminApi.SendAsync(http, HttpMethod.Delete, "/admin/api/scopes/reports", token);

        Assert.Equal("api", created.GetProperty("managedBy").GetString());
        Assert.Equal(2, updated.GetProperty("resources").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        await AdminApi.ProblemAsync(await AdminApi.GetAsync(http, "/admin/api/scopes/reports", token), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AConfiguredScopeIsReadOnly()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        var api = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, "/admin/api/scopes/api", token));
        var update = await AdminApi.SendAsync(http, HttpMethod.Put, "/admin/api/scopes/api", token, """{"resources":["https://evil.example/"]}""");
        var delete = await AdminApi.SendAsync(http, HttpMethod.Delete, "/admin/api/scopes/api", token);

        Assert.Equal("configuration", api.GetProperty("managedBy").GetString());
        foreach (var response in new[] { update, delete })
        {
            var problem = await AdminApi.ProblemAsync(response, HttpStatusCode.Conflict, "urn:identityserver:admin:managed-by-configuration");
            Assert.Equal("IdentityServer:Scopes", problem.GetProperty("setting").GetString());
        }
    }

    [Fact]
    public async Task BadScopesAreValidationProblemsAndDuplicatesConflicts()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        var spaced = await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/scopes", token, """{"name":"two words"}"""), HttpStatusCode.BadRequest);
        var unknownMember = await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/scopes", token, """{"name":"x","secret":"y"}"""), HttpStatusCode.BadRequest);
        var builtIn = await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/scopes", token, """{"name":"openid"}""");

        Assert.True(spaced.GetProperty("errors").TryGetProperty("name", out _));
        Assert.True(unknownMember.GetProperty("errors").TryGetProperty("secret", out _));
        await AdminApi.ProblemAsync(builtIn, HttpStatusCode.Conflict, "urn:identityserver:admin:conflict");
    }
}
