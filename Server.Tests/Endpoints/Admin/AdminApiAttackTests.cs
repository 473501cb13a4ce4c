using System.Net;
using System.Text.Json;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Admin;

/// <summary>
/// Attacks on the admin API, each performed and shown to fail: a person without the admin role asking for admin
/// scopes, a revoked admin token, a token for another API, and a locked person's refresh token.
/// </summary>
public sealed class AdminApiAttackTests(AdminApiAttackTests.Server server) : IClassFixture<AdminApiAttackTests.Server>
{
    public const string Console = "admin-console-test";
    public const string ConsoleRedirect = "http://localhost:5173/admin-callback";

    /// <summary>The demo server plus a public code + PKCE client that configuration permits the admin scopes.</summary>
    public sealed class Server : ServerFactory
    {
        public Server() => this.DeclareClient(new TestClient(Console)
        {
            Type = "public",
            GrantTypes = ["authorization_code", "refresh_token"],
            Scopes = ["openid", "profile", "offline_access", "admin.read", "admin.write"],
            RedirectUris = [ConsoleRedirect],
        });
    }

    private static async Task<JsonElement> SignInAsync(Browser browser, string login, string password)
    {
        var (verifier, challenge) = OAuth.Pkce();
        var redirect = await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(Console, ConsoleRedirect, challenge, "openid profile offline_access admin.read admin.write"), login, password);
        var response = await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = Console, ["code"] = OAuth.Query(redirect)["code"],
            ["redirect_uri"] = ConsoleRedirect, ["code_verifier"] = verifier,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await OAuth.JsonAsync(response);
    }

    [Fact]
    public async Task APersonWithoutTheAdminRoleGetsNoAdminScopesAndNoAccess()
    {
        var bob = await People.NewUserAsync(server, "bob");
        using var browser = server.CreateBrowser();

        var tokens = await SignInAsync(browser, bob, People.NewUserPassword);

        var granted = tokens.GetProperty("scope").GetString()!.Split(' ');
        Assert.DoesNotContain("admin.read", granted);
        Assert.DoesNotContain("admin.write", granted);
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        Assert.False(OAuth.JwtPayload(accessToken).TryGetValue("aud", out var audience) && audience.ToString().Contains("admin-api", StringComparison.Ordinal));
        await AdminApi.ProblemAsync(await AdminApi.GetAsync(browser.Http, "/admin/api/users", accessToken), HttpStatusCode.Unauthorized);

        // Refreshing does not bring them back either.
        var refreshed = await OAuth.JsonAsync(await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(Console, tokens.GetProperty("refresh_token").GetString()!)));
        Assert.DoesNotContain("admin.read", refreshed.GetProperty("scope").GetString()!.Split(' '));
    }

    [Fact]
    public async Task APersonWithTheAdminRoleGetsAdminScopesAndIsAuditedByName()
    {
        using var browser = server.CreateBrowser();

        var tokens = await SignInAsync(browser, "alice", ServerFactory.AlicePassword);
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var created = await AdminApi.SendAsync(browser.Http, HttpMethod.Post, "/admin/api/scopes", accessToken, """{"name":"made-by-alice","resources":["https://api.example/"]}""");

        await AdminApi.OkJsonAsync(created, HttpStatusCode.Created);
        var audit = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(browser.Http, "/admin/api/audit?type=admin.scope.created&q=alice", accessToken));
        Assert.Equal("alice", audit.GetProperty("items")[0].GetProperty("actor").GetString());
    }

    [Fact]
    public async Task ARevokedAdminTokenIsRefusedAtOnce()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);
        Assert.Equal(HttpStatusCode.OK, (await AdminApi.GetAsync(http, "/admin/api/keys", token)).StatusCode);

        var revoked = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/connect/revoke")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["token_type_hint"] = "access_token" }),
            Headers = { Authorization = OAuth.BasicAuth(AdminApi.Cli, AdminApi.CliSecret) },
        });
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        await AdminApi.ProblemAsync(await AdminApi.GetAsync(http, "/admin/api/keys", token), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnApiTokenWithTheAdminAudienceInItsResourcesIsStillRefusedWithoutAdminScopes()
    {
        using var http = server.CreateClient();
        var machine = await OAuth.JsonAsync(await OAuth.TokenAsync(http, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["scope"] = "api", ["resource"] = "admin-api",
        }, (OAuth.Machine, OAuth.MachineSecret)));

        // Either the server refuses the resource outright, or the token it issues does not open the admin API.
        if (machine.TryGetProperty("access_token", out var token))
        {
            await AdminApi.ProblemAsync(await AdminApi.GetAsync(http, "/admin/api/clients", token.GetString()), HttpStatusCode.Unauthorized);
        }
        else
        {
            Assert.Equal("invalid_target", machine.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task LockingAlicePutsAnEndToHerRefreshTokenAndSessions()
    {
        await using var own = new ServerFactory();
        using var browser = own.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser);
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;
        var admin = await AdminApi.TokenAsync(browser.Http);
        var alice = (await AdminApi.OkJsonAsync(await AdminApi.GetAsync(browser.Http, "/admin/api/users?q=alice", admin))).GetProperty("items")[0];
        var id = alice.GetProperty("id").GetString()!;
        Assert.Equal("configuration", alice.GetProperty("managedBy").GetString());
        var sessions = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(browser.Http, $"/admin/api/users/{id}/sessions", admin));
        Assert.True(sessions.GetProperty("total").GetInt32() >= 1);

        var locked = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(browser.Http, HttpMethod.Post, $"/admin/api/users/{id}/lock", admin));

        Assert.True(locked.GetProperty("user").GetProperty("lockedOut").GetBoolean());
        Assert.True(locked.GetProperty("sessionsEnded").GetInt32() >= 1);
        var refresh = await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(OAuth.Spa, refreshToken));
        Assert.Equal("invalid_grant", (await OAuth.JsonAsync(refresh)).GetProperty("error").GetString());
        Assert.False((await OAuth.IntrospectAsync(browser.Http, tokens.GetProperty("access_token").GetString()!)).GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/Account/Manage/Index")).StatusCode);
        var audit = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(browser.Http, $"/admin/api/audit?userId={id}&type=admin.user.locked", admin));
        Assert.Equal(AdminApi.CliActor, audit.GetProperty("items")[0].GetProperty("actor").GetString());
    }
}
