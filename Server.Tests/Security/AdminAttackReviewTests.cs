using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Admin;
using IdentityServer.Tests.Endpoints.Admin;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Security;

/// <summary>
/// The admin review's attacks (issue 15), each performed on the wire: a client named after a person, a console
/// session outliving the admin role, roles differing only in case, the audit trail's actor, malformed requests.
/// </summary>
public sealed class AdminAttackReviewTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string Redirect = "http://localhost:5173/callback";

    private async Task<string> IdOfAsync(string name)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return (await users.FindByNameAsync(name))!.Id;
    }

    /// <summary>
    /// A client whose client_id is a person's user id (the API accepts any id of letters, digits and '-') made that
    /// person's sign-ins look like the client's own token: admin scopes without the admin role, and the API's actor
    /// recorded as the client. A backdoor an admin.write holder leaves behind, surviving the role's removal.
    /// </summary>
    [Fact]
    public async Task AClientNamedAfterAPersonDoesNotMakeThatPersonAnAdmin()
    {
        var bob = await People.NewUserAsync(server, "bob");
        var bobId = await IdOfAsync(bob);
        using var browser = server.CreateBrowser();
        var admin = await AdminApi.TokenAsync(browser.Http);
        await AdminApi.OkJsonAsync(await AdminApi.SendAsync(browser.Http, HttpMethod.Post, "/admin/api/clients", admin,
            $$"""{"clientId":"{{bobId}}","type":"public","firstParty":true,"grantTypes":["authorization_code"],"scopes":["openid","admin.read","admin.write"],"redirectUris":["{{Redirect}}"]}"""),
            HttpStatusCode.Created);

        var (verifier, challenge) = OAuth.Pkce();
        var redirect = await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(bobId, Redirect, challenge, "openid admin.read admin.write"), bob, People.NewUserPassword);
        var tokens = await OAuth.JsonAsync(await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = bobId, ["code"] = OAuth.Query(redirect)["code"],
            ["redirect_uri"] = Redirect, ["code_verifier"] = verifier,
        }));

        Assert.DoesNotContain("admin.write", tokens.GetProperty("scope").GetString()!.Split(' '));
        var call = await AdminApi.GetAsync(browser.Http, "/admin/api/users", tokens.GetProperty("access_token").GetString());
        Assert.True(call.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"bob reached the admin API: {(int)call.StatusCode}");
    }

    /// <summary>The console read the admin role from the cookie, refreshed only when the security stamp is next validated.</summary>
    [Fact]
    public async Task TakingTheAdminRoleAwayClosesTheConsoleAtOnce()
    {
        var (browser, name) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (browser)
        {
            await ConsoleAdmins.PageAsync(browser, "/admin");
            await using (var scope = server.Services.CreateAsyncScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
                Assert.True((await users.RemoveFromRoleAsync((await users.FindByNameAsync(name))!, "admin")).Succeeded);
            }

            var again = await browser.GetAsync("/admin/users");
            Assert.NotEqual(HttpStatusCode.OK, again.StatusCode);
        }
    }

    /// <summary>Role names differing only in case were both added: a duplicate key (500), and the account stayed, unaudited.</summary>
    [Fact]
    public async Task RolesDifferingOnlyInCaseNeitherFailNorLeaveAnUnauditedAccount()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);
        var name = $"cased-{Guid.NewGuid():N}";

        var response = await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/users", token, $$"""{"userName":"{{name}}","roles":["ops-x","OPS-X"]}""");

        var created = await AdminApi.OkJsonAsync(response, HttpStatusCode.Created);
        Assert.Single(created.GetProperty("roles").EnumerateArray());
        var audit = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/audit?type=admin.user.created&q={name}", token));
        Assert.Equal(1, audit.GetProperty("total").GetInt32());
    }

    /// <summary>
    /// The audit trail once recorded a client actor by its bare client id and a person by their user name, in one
    /// column: a client an admin named "alice" wrote entries that read as alice's own. A client is now recorded as
    /// <c>client:</c> and its id, which no user name can be (Identity allows no colon in one).
    /// </summary>
    [Fact]
    public async Task AClientNamedLikeAPersonIsNotRecordedAsThatPerson()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);
        var created = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/clients", token,
            """{"clientId":"alice","type":"confidential","grantTypes":["client_credentials"],"scopes":["admin.write"]}"""), HttpStatusCode.Created);
        var impostor = await AdminApi.TokenAsync(http, "admin.write", "alice", created.GetProperty("clientSecret").GetString()!);

        await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/scopes", impostor, """{"name":"by-impostor"}"""), HttpStatusCode.Created);
        var personNamedLikeAClient = await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/users", token, """{"userName":"client:alice"}""");

        var audit = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, "/admin/api/audit?type=admin.scope.created", token));
        Assert.Equal("client:alice", audit.GetProperty("items")[0].GetProperty("actor").GetString());
        await AdminApi.ProblemAsync(personNamedLikeAClient, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/admin/api/audit?from=9999-12-31T23:59:59-14:00")]
    [InlineData("/admin/api/audit?from=0001-01-01T00:00:00%2B14:00")]
    [InlineData("/admin/api/audit?to=2026-13-45")]
    [InlineData("/admin/api/audit?page=2147483647&pageSize=100")]
    [InlineData("/admin/api/audit?page=-1&pageSize=-5")]
    [InlineData("/admin/api/audit?pageSize=99999999999999999999")]
    [InlineData("/admin/api/audit?type=%00%00")]
    [InlineData("/admin/api/users?q=%25%5F%5B")]
    [InlineData("/admin/api/clients/%2e%2e")]
    [InlineData("/admin/api/users/%01%7F")]
    public async Task MalformedReadsAreAnsweredWithoutAServerError(string path)
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        var response = await AdminApi.GetAsync(http, path, token);

        Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("/admin/api/clients", """{"clientId":"dup","clientId":"dup2","type":"public","grantTypes":["authorization_code"],"redirectUris":["http://localhost/x"]}""")]
    [InlineData("/admin/api/clients", """{"clientId":"n","type":7,"grantTypes":null,"scopes":[null],"redirectUris":[null]}""")]
    [InlineData("/admin/api/users", """{"userName":"x","roles":[null],"email":null}""")]
    [InlineData("/admin/api/users", """{"userName":"y","password":"short"}""")]
    [InlineData("/admin/api/scopes", """{"name":"s","resources":[null,"not a uri"]}""")]
    [InlineData("/admin/api/users", "[]")]
    [InlineData("/admin/api/users", "{")]
    public async Task MalformedWritesAreAnsweredWithoutAServerError(string path, string body)
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        var response = await AdminApi.SendAsync(http, HttpMethod.Post, path, token, body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{path}: {(int)response.StatusCode} {text}");
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }
}
