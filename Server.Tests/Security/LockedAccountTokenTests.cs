using System.Net;
using System.Net.Http.Headers;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Security;

/// <summary>
/// A locked or deleted account's access tokens stop working at this server at once: introspection says
/// inactive and userinfo refuses them, for as long as the lock lasts; a deleted account's refresh token is
/// refused. A machine token is untouched.
/// </summary>
public sealed class LockedAccountTokenTests : IAsyncLifetime
{
    // Its own server: the test locks alice and moves the clock.
    private readonly ServerFactory server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await server.DisposeAsync();

    private async Task SetAliceLockoutAsync(DateTimeOffset end)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var alice = (await users.FindByNameAsync("alice"))!;
        Assert.True((await users.SetLockoutEndDateAsync(alice, end)).Succeeded);
    }

    private static async Task<HttpResponseMessage> UserInfoAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    /// <summary>Alice's tokens from a SPA sign-in, checked to work before the test acts on her account.</summary>
    private async Task<(string Access, string Refresh)> WorkingTokensAsync(HttpClient http)
    {
        using var browser = server.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser);
        var access = tokens.GetProperty("access_token").GetString()!;
        Assert.True((await OAuth.IntrospectAsync(http, access)).GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(http, access)).StatusCode);
        return (access, tokens.GetProperty("refresh_token").GetString()!);
    }

    private static async Task AssertInactiveAndRefusedAtUserInfoAsync(HttpClient http, string access)
    {
        var introspected = await OAuth.IntrospectAsync(http, access);
        Assert.False(introspected.GetProperty("active").GetBoolean());
        Assert.False(introspected.TryGetProperty("sub", out _));
        var userinfo = await UserInfoAsync(http, access);
        Assert.Equal(HttpStatusCode.Unauthorized, userinfo.StatusCode);
        Assert.Contains("invalid_token", userinfo.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALockedAccountsAccessTokenIsInactiveAndRefusedAtUserInfo()
    {
        using var http = server.CreateClient();
        var (access, _) = await WorkingTokensAsync(http);

        await SetAliceLockoutAsync(server.Time.GetUtcNow().AddMinutes(5));

        await AssertInactiveAndRefusedAtUserInfoAsync(http, access);

        // The lock ends by the clock: the token (still within its lifetime) works again.
        server.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.True((await OAuth.IntrospectAsync(http, access)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task ADeletedAccountsAccessTokenIsInactiveRefusedAtUserInfoAndItsRefreshTokenGetsInvalidGrant()
    {
        using var http = server.CreateClient();
        var (access, refresh) = await WorkingTokensAsync(http);

        // Deleted other than on the Delete page (which also revokes the tokens): by an operator, say.
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True((await users.DeleteAsync((await users.FindByNameAsync("alice"))!)).Succeeded);
        }

        await AssertInactiveAndRefusedAtUserInfoAsync(http, access);
        var refreshed = await OAuth.TokenAsync(http, Grants.RefreshToken(OAuth.Spa, refresh));
        Assert.Equal(HttpStatusCode.BadRequest, refreshed.StatusCode);
        Assert.Equal("invalid_grant", (await OAuth.JsonAsync(refreshed)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task AMachineTokenNeedsNoAccountAndStaysActive()
    {
        using var http = server.CreateClient();
        var issued = await OAuth.JsonAsync(await Grants.MachineTokenAsync(http));
        var introspected = await OAuth.IntrospectAsync(http, issued.GetProperty("access_token").GetString()!);
        Assert.True(introspected.GetProperty("active").GetBoolean());
        Assert.Equal(OAuth.Machine, introspected.GetProperty("sub").GetString());
    }
}
