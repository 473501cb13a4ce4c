using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Admin;

/// <summary>/admin/api/keys and /admin/api/audit.</summary>
public sealed class AdminKeyAndAuditEndpointTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task KeysAreDescribedWithoutPrivateMaterial()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http, "admin.read");
        var jwks = await OAuth.JsonAsync(await http.GetAsync("/.well-known/jwks"));

        var response = await AdminApi.GetAsync(http, "/admin/api/keys", token);
        var keys = await AdminApi.OkJsonAsync(response);

        var signing = keys.GetProperty("items").EnumerateArray().Where(k => k.GetProperty("use").GetString() == "sig").ToList();
        Assert.NotEmpty(signing);
        Assert.All(signing, k => Assert.Contains(jwks.GetProperty("keys").EnumerateArray(), j => j.GetProperty("kid").GetString() == k.GetProperty("kid").GetString()));
        Assert.Contains(keys.GetProperty("items").EnumerateArray(), k => k.GetProperty("use").GetString() == "enc");
        Assert.Equal("active", signing[0].GetProperty("state").GetString());
        Assert.Equal("generated", signing[0].GetProperty("origin").GetString());
        var text = await response.Content.ReadAsStringAsync();
        foreach (var privateMember in new[] { "\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "PRIVATE KEY", "modulus" })
        {
            Assert.DoesNotContain(privateMember, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task TheAuditTrailIsFilteredByTypeClientAndTime()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);
        var before = server.Time.GetUtcNow();
        await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/scopes", token, """{"name":"audited-scope"}""");
        server.Time.Advance(TimeSpan.FromMinutes(5));
        var after = server.Time.GetUtcNow();

        var inRange = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/audit?type=admin&from={Uri.EscapeDataString(before.ToString("O"))}&q=admin-cli", token));
        var later = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/audit?type=admin.scope.created&from={Uri.EscapeDataString(after.ToString("O"))}", token));

        var created = Assert.Single(inRange.GetProperty("items").EnumerateArray(), e => e.GetProperty("type").GetString() == "admin.scope.created");
        Assert.Equal(AdminApi.CliActor, created.GetProperty("actor").GetString());
        Assert.Contains("audited-scope", created.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, later.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ABadTimeIsAValidationProblem()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http, "admin.read");

        var problem = await AdminApi.ProblemAsync(await AdminApi.GetAsync(http, "/admin/api/audit?from=yesterday&page=0", token), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("from", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("page", out _));
    }
}
