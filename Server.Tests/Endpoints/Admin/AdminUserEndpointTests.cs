using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Endpoints.Admin;

/// <summary>/admin/api/users: search, create, update, lock, 2FA reset, forced password reset, delete.</summary>
public sealed class AdminUserEndpointTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string Password = "a long enough password 42";

    private async Task<(HttpClient Http, string Token, string Id, string Name)> NewUserAsync(string prefix)
    {
        var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        var created = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/users", token,
            $$"""{"userName":"{{name}}","email":"{{name}}@example.com","emailConfirmed":true,"password":"{{Password}}","roles":["ops"]}"""), HttpStatusCode.Created);
        return (http, token, created.GetProperty("id").GetString()!, name);
    }

    [Fact]
    public async Task ACreatedUserIsManagedByTheApiAndCanSignIn()
    {
        var (http, token, id, name) = await NewUserAsync("made");
        using (http)
        {
            var user = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/users/{id}", token));

            Assert.Equal("api", user.GetProperty("managedBy").GetString());
            Assert.Equal("ops", user.GetProperty("roles")[0].GetString());
            Assert.False(user.TryGetProperty("passwordHash", out _));
            using var browser = server.CreateBrowser();
            Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(browser, name, Password, "/")).StatusCode);
            var found = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/users?q={name.ToUpperInvariant()}", token));
            Assert.Equal(1, found.GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task AUserDeclaredInConfigurationCannotBeChangedOrDeleted()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);
        var alice = (await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, "/admin/api/users?q=alice", token))).GetProperty("items")[0].GetProperty("id").GetString();

        var update = await AdminApi.SendAsync(http, HttpMethod.Put, $"/admin/api/users/{alice}", token, """{"email":"mallory@example.com","roles":[]}""");
        var delete = await AdminApi.SendAsync(http, HttpMethod.Delete, $"/admin/api/users/{alice}", token);
        var reset = await AdminApi.SendAsync(http, HttpMethod.Post, $"/admin/api/users/{alice}/force-password-reset", token);

        foreach (var response in new[] { update, delete, reset })
        {
            var problem = await AdminApi.ProblemAsync(response, HttpStatusCode.Conflict, "urn:identityserver:admin:managed-by-configuration");
            Assert.Equal("IdentityServer:Users", problem.GetProperty("setting").GetString());
            Assert.Contains("appsettings", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("alice@example.com", (await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/users/{alice}", token))).GetProperty("email").GetString());
    }

    [Fact]
    public async Task BadInputIsAValidationProblemNamingTheField()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        var tooBig = await AdminApi.ProblemAsync(await AdminApi.GetAsync(http, "/admin/api/users?pageSize=101", token), HttpStatusCode.BadRequest);
        var wrongType = await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/users", token, """{"userName":5}"""), HttpStatusCode.BadRequest);
        var notJson = await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/users", token, "{"), HttpStatusCode.BadRequest);
        var weak = await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/users", token, """{"userName":"weak-one","password":"short"}"""), HttpStatusCode.BadRequest);

        Assert.True(tooBig.GetProperty("errors").TryGetProperty("pageSize", out _));
        Assert.True(wrongType.GetProperty("errors").TryGetProperty("userName", out _));
        Assert.True(notJson.GetProperty("errors").TryGetProperty("body", out _));
        Assert.True(weak.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task AnUnknownUserIsAProblem404()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http);

        await AdminApi.ProblemAsync(await AdminApi.GetAsync(http, "/admin/api/users/no-such-id", token), HttpStatusCode.NotFound);
        await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Post, "/admin/api/users/no-such-id/lock", token), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AForcedPasswordResetStopsTheOldPasswordAndMailsAResetLink()
    {
        var (http, token, id, name) = await NewUserAsync("forced");
        using (http)
        {
            var result = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Post, $"/admin/api/users/{id}/force-password-reset", token));

            Assert.False(result.GetProperty("user").GetProperty("hasPassword").GetBoolean());
            Assert.True(result.GetProperty("resetEmailSent").GetBoolean());
            using var browser = server.CreateBrowser();
            Assert.Equal(HttpStatusCode.BadRequest, (await People.SignInAsync(browser, name, Password, "/")).StatusCode);
            await People.MailSentAsync(server.Services);
            var (_, link) = await People.LastMailAsync(server, name + "@example.com");
            Assert.Contains("ResetPassword", link, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ResettingTwoFactorTurnsItOffAndDropsTheKeyAndRecoveryCodes()
    {
        var (http, token, id, _) = await NewUserAsync("twofa");
        string oldKey;
        using (var scope = server.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByIdAsync(id))!;
            await users.ResetAuthenticatorKeyAsync(user);
            oldKey = (await users.GetAuthenticatorKeyAsync(user))!;
            await users.SetTwoFactorEnabledAsync(user, true);
            await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
        }

        using (http)
        {
            var result = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Post, $"/admin/api/users/{id}/reset-2fa", token));
            Assert.False(result.GetProperty("user").GetProperty("twoFactorEnabled").GetBoolean());
        }

        using (var scope = server.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByIdAsync(id))!;
            Assert.NotEqual(oldKey, await users.GetAuthenticatorKeyAsync(user));
            Assert.Equal(0, await users.CountRecoveryCodesAsync(user));
        }
    }

    [Fact]
    public async Task AnAdminCannotDeleteThemselvesButCanDeleteAnother()
    {
        var (http, token, id, name) = await NewUserAsync("gone");
        using (http)
        {
            var deleted = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(http, HttpMethod.Delete, $"/admin/api/users/{id}", token));

            Assert.Equal(name, deleted.GetProperty("userName").GetString());
            await AdminApi.ProblemAsync(await AdminApi.GetAsync(http, $"/admin/api/users/{id}", token), HttpStatusCode.NotFound);
            var audit = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/audit?userId={id}&type=admin.user.deleted", token));
            var details = audit.GetProperty("items")[0].GetProperty("details").GetString()!;
            Assert.Contains(name, details, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, details, StringComparison.Ordinal);
        }
    }
}
