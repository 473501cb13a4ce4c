using System.Net;
using System.Text.Json;
using IdentityServer.Tests.Infrastructure;
using IdentityServer.Tests.Passkeys;

namespace IdentityServer.Tests.Endpoints.Admin;

/// <summary>/admin/api/users/{id}/passkeys: what an administrator sees of a person's passkeys, and removing one without locking them out.</summary>
public sealed class AdminPasskeyEndpointTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string ConflictType = "urn:identityserver:admin:conflict";

    /// <summary>An account (with the test password unless <paramref name="password"/> is false) holding <paramref name="count"/> passkeys; its id and theirs.</summary>
    private async Task<(string UserId, List<string> PasskeyIds)> AccountAsync(int count, bool password = true, string? userName = null)
    {
        userName ??= password ? await People.NewUserAsync(server, "passkeys") : await SeededPasskeys.PasswordlessUserAsync(server.Services);
        var ids = await SeededPasskeys.AddAsync(server.Services, userName, count);
        return (await SeededPasskeys.IdOfAsync(server.Services, userName), ids);
    }

    private Task<int> StoredAsync(string userId) => SeededPasskeys.CountAsync(server.Services, userId);

    [Fact]
    public async Task AReadTokenListsThePasskeysOldestFirst()
    {
        var (id, passkeys) = await AccountAsync(2);
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http, "admin.read");

        var list = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/users/{id}/passkeys", token));

        Assert.Equal(2, list.GetProperty("total").GetInt32());
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(passkeys, items.Select(p => p.GetProperty("id").GetString()!));
        Assert.Equal("Key 0", items[0].GetProperty("name").GetString());
        Assert.True(items[0].GetProperty("backedUp").GetBoolean());
        Assert.False(items[1].GetProperty("backedUp").GetBoolean());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("lastUsedAt").ValueKind);
        Assert.Equal("internal", Assert.Single(items[0].GetProperty("transports").EnumerateArray()).GetString());
        Assert.True(items[0].TryGetProperty("createdAt", out _));
    }

    [Fact]
    public async Task WithoutATokenNothingAnswersAndAReadTokenCannotRemove()
    {
        var (id, passkeys) = await AccountAsync(2);
        using var http = server.CreateClient();
        var read = await AdminApi.TokenAsync(http, "admin.read");

        await AdminApi.ProblemAsync(await AdminApi.GetAsync(http, $"/admin/api/users/{id}/passkeys", null), HttpStatusCode.Unauthorized);
        await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Delete, $"/admin/api/users/{id}/passkeys/{passkeys[0]}", null), HttpStatusCode.Unauthorized);
        await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Delete, $"/admin/api/users/{id}/passkeys/{passkeys[0]}", read), HttpStatusCode.Forbidden);

        Assert.Equal(2, await StoredAsync(id));
    }

    [Fact]
    public async Task AnUnknownUserOrPasskeyIsA404AndAMalformedIdA400()
    {
        var (id, _) = await AccountAsync(1);
        var (_, others) = await AccountAsync(2);
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        await AdminApi.ProblemAsync(await AdminApi.GetAsync(http, "/admin/api/users/nobody/passkeys", token), HttpStatusCode.NotFound);
        await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Delete, $"/admin/api/users/nobody/passkeys/{others[0]}", token), HttpStatusCode.NotFound);
        await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Delete, $"/admin/api/users/{id}/passkeys/{others[0]}", token), HttpStatusCode.NotFound);
        foreach (var malformed in new[] { "not*base64url", "%20", new string('A', 1401) })
        {
            var problem = await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Delete, $"/admin/api/users/{id}/passkeys/{malformed}", token), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("passkeyId", out _));
        }

        Assert.Equal(1, await StoredAsync(id));
    }

    [Fact]
    public async Task TheLastWayIntoAPasswordlessAccountIsNotRemoved()
    {
        var (id, passkeys) = await AccountAsync(1, password: false);
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        var problem = await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Delete, $"/admin/api/users/{id}/passkeys/{passkeys[0]}", token),
            HttpStatusCode.Conflict, ConflictType);

        Assert.Contains("last way to sign in", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await StoredAsync(id));
    }

    [Fact]
    public async Task RemovingAPasskeyEndsThePersonsSessions()
    {
        var name = await People.NewUserAsync(server, "stolen");
        var (id, passkeys) = await AccountAsync(1, userName: name);
        using var browser = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(browser, name, People.NewUserPassword)).StatusCode);
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Delete, $"/admin/api/users/{id}/passkeys/{passkeys[0]}", token));

        // A lost authenticator's session may be any of them: all end, as when an administrator resets the second factor.
        Assert.False(await PasskeyCeremonies.SignedInAsync(browser));
    }

    [Fact]
    public async Task RemovingDeletesTheRowAndIsAuditedWithTheAdminAsActor()
    {
        var (id, passkeys) = await AccountAsync(2, password: false);
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        var removed = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Delete, $"/admin/api/users/{id}/passkeys/{passkeys[1]}", token));

        Assert.Equal(passkeys[1], removed.GetProperty("id").GetString());
        Assert.Equal(1, await StoredAsync(id));
        var left = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/users/{id}/passkeys", token));
        Assert.Equal(passkeys[0], Assert.Single(left.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Delete, $"/admin/api/users/{id}/passkeys/{passkeys[1]}", token), HttpStatusCode.NotFound);

        var admin = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/audit?userId={id}&type=admin.passkey.removed", token));
        var adminEvent = Assert.Single(admin.GetProperty("items").EnumerateArray());
        Assert.Equal(AdminApi.CliActor, adminEvent.GetProperty("actor").GetString());
        Assert.Contains(passkeys[1], adminEvent.GetProperty("details").GetString(), StringComparison.Ordinal);
        var account = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/audit?userId={id}&type=account.passkey_removed", token));
        Assert.Equal(AdminApi.CliActor, Assert.Single(account.GetProperty("items").EnumerateArray()).GetProperty("actor").GetString());
    }

    [Fact]
    public async Task APasskeyOfAUserConfigurationDeclaresCanBeRemoved()
    {
        var (id, passkeys) = await AccountAsync(1, userName: "alice");
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);
        Assert.Equal("configuration", (await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/users/{id}", token))).GetProperty("managedBy").GetString());

        await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Delete, $"/admin/api/users/{id}/passkeys/{passkeys[0]}", token));

        var left = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/users/{id}/passkeys", token));
        Assert.DoesNotContain(left.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetString() == passkeys[0]);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesBothOperations()
    {
        using var http = server.CreateClient();
        var paths = (await AdminApi.OkJsonAsync(await http.GetAsync("/admin/api/openapi.json"))).GetProperty("paths");

        var list = paths.GetProperty("/admin/api/users/{id}/passkeys").GetProperty("get");
        var remove = paths.GetProperty("/admin/api/users/{id}/passkeys/{passkeyId}").GetProperty("delete");

        Assert.Equal("ListUserPasskeys", list.GetProperty("operationId").GetString());
        Assert.Equal("RemoveUserPasskey", remove.GetProperty("operationId").GetString());
        Assert.All(new[] { list, remove }, o => Assert.Equal("Passkeys", o.GetProperty("tags")[0].GetString()));
        foreach (var status in (string[])["200", "400", "404", "409"])
        {
            Assert.True(remove.GetProperty("responses").TryGetProperty(status, out _), status);
        }
    }
}
