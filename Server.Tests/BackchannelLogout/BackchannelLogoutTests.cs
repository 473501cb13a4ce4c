using System.Net;
using System.Text.Json;
using IdentityServer.Data;
using IdentityServer.Jobs;
using IdentityServer.Sessions;
using IdentityServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static IdentityServer.Tests.BackchannelLogout.LogoutFlows;

namespace IdentityServer.Tests.BackchannelLogout;

/// <summary>What each client receives when a session it was issued tokens in ends: one valid logout token, by POST.</summary>
public sealed class BackchannelLogoutTests : IAsyncLifetime
{
    private const string Event = "http://schemas.openid.net/event/backchannel-logout";
    private readonly LogoutReceiver receiver = new();
    private ServerFactory server = null!;

    public Task InitializeAsync()
    {
        server = NewServer(receiver);
        Declare(server, "bcl-silent", backchannelUri: null);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task SigningOutSendsEachClientOfTheSessionOneValidLogoutToken()
    {
        using var browser = server.CreateBrowser();
        var one = await SignInToAsync(browser, One);
        var two = await SignInToAsync(browser, Two);
        await SignInToAsync(browser, "bcl-silent");
        await SignOutAsync(browser);

        Assert.Empty(receiver.Requests);
        var result = await DrainAsync(server);

        Assert.Equal(2, result.Delivered);
        var requests = receiver.Requests.ToList();
        Assert.Equal([OneUri, TwoUri], requests.Select(r => r.Uri.AbsoluteUri).Order(StringComparer.Ordinal));
        foreach (var (request, clientId, tokens) in new[] { (requests.Single(r => r.Uri.AbsoluteUri == OneUri), One, one), (requests.Single(r => r.Uri.AbsoluteUri == TwoUri), Two, two) })
        {
            Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
            Assert.Equal(["logout_token"], request.Form.Keys);
            var token = request.Form["logout_token"];
            var identity = await LogoutReceiver.ValidateAsync(server.CreateClient(), token, clientId);
            var payload = OAuth.JwtPayload(token);
            Assert.Equal(IdTokenClaim(tokens, "sid"), payload["sid"].GetString());
            Assert.Equal(IdTokenClaim(tokens, "sub"), payload["sub"].GetString());
            Assert.Equal(clientId, payload["aud"].GetString());
            Assert.Equal(Issuer, payload["iss"].GetString());
            Assert.False(payload.ContainsKey("nonce"));
            Assert.True(payload.ContainsKey("jti") && payload.ContainsKey("iat"));
            Assert.InRange(payload["exp"].GetInt64() - payload["iat"].GetInt64(), 1, 300);
            var events = payload["events"];
            Assert.Equal(JsonValueKind.Object, events.ValueKind);
            Assert.Equal([Event], events.EnumerateObject().Select(p => p.Name));
            Assert.Equal("{}", events.GetProperty(Event).GetRawText());
            Assert.Equal("logout+jwt", OAuth.JwtHeader(token)["typ"].GetString());
            Assert.Equal(OAuth.JwtHeader(tokens.GetProperty("id_token").GetString()!)["alg"].GetString(), OAuth.JwtHeader(token)["alg"].GetString());
            Assert.Equal(OAuth.JwtHeader(tokens.GetProperty("id_token").GetString()!)["kid"].GetString(), OAuth.JwtHeader(token)["kid"].GetString());
            Assert.NotNull(identity);
        }

        Assert.Equal(0, (await DrainAsync(server)).Delivered);
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task TheSidIsNeitherTheCookieNorTheSessionKeyAndSurvivesRefresh()
    {
        using var browser = server.CreateBrowser();
        var login = await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("idsrv.session=", StringComparison.Ordinal)).Split(';')[0]["idsrv.session=".Length..];
        var tokens = await SignInToAsync(browser, One);
        var sid = IdTokenClaim(tokens, "sid");

        Assert.False(string.IsNullOrEmpty(sid));
        Assert.DoesNotContain(sid, cookie, StringComparison.Ordinal);
        Assert.DoesNotContain(cookie, sid, StringComparison.Ordinal);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Sessions.SingleAsync(s => s.Sid == sid);
            Assert.NotEqual(row.Id, sid);
            Assert.NotEqual(row.Id, SessionIds.Hash(sid));
        }

        var refreshed = await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(One, tokens.GetProperty("refresh_token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(sid, IdTokenClaim(await OAuth.JsonAsync(refreshed), "sid"));

        using var other = server.CreateBrowser();
        Assert.NotEqual(sid, IdTokenClaim(await SignInToAsync(other, One), "sid"));
    }

    [Fact]
    public async Task SigningOutEverywhereElseNotifiesOnlyTheOtherSessionsClients()
    {
        using var here = server.CreateBrowser();
        using var there = server.CreateBrowser();
        var hereTokens = await SignInToAsync(here, One);
        var thereTokens = await SignInToAsync(there, Two);

        var response = await People.PostPageAsync(here, "/Account/Manage/Sessions", new Dictionary<string, string>(), "EndOthers");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await DrainAsync(server);

        var received = Assert.Single(receiver.Requests);
        Assert.Equal(TwoUri, received.Uri.AbsoluteUri);
        Assert.Equal(IdTokenClaim(thereTokens, "sid"), OAuth.JwtPayload(received.Form["logout_token"])["sid"].GetString());
        Assert.NotEqual(IdTokenClaim(hereTokens, "sid"), IdTokenClaim(thereTokens, "sid"));
    }

    [Fact]
    public async Task APasswordChangeNotifiesTheOtherSessionsAndThisSessionKeepsItsSid()
    {
        var user = await People.NewUserAsync(server);
        using var here = server.CreateBrowser();
        using var there = server.CreateBrowser();
        var hereTokens = await SignInToAsync(here, One, user, People.NewUserPassword);
        var thereTokens = await SignInToAsync(there, One, user, People.NewUserPassword);

        var changed = await People.PostPageAsync(here, "/Account/Manage/ChangePassword", new Dictionary<string, string>
        {
            ["CurrentPassword"] = People.NewUserPassword, ["NewPassword"] = "a brand new passphrase 2026",
        });
        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        await DrainAsync(server);
        var first = Assert.Single(receiver.Requests);
        Assert.Equal(IdTokenClaim(thereTokens, "sid"), OAuth.JwtPayload(first.Form["logout_token"])["sid"].GetString());

        // This browser's session was re-issued under a new id; its apps' sid still names it.
        await SignOutAsync(here);
        await DrainAsync(server);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(IdTokenClaim(hereTokens, "sid"), OAuth.JwtPayload(receiver.Requests.Last().Form["logout_token"])["sid"].GetString());
    }

    [Fact]
    public async Task ASessionExpiredAndPrunedNotifiesItsClients()
    {
        using var browser = server.CreateBrowser();
        var tokens = await SignInToAsync(browser, One);
        server.Time.Advance(TimeSpan.FromHours(9));
        await using (var scope = server.Services.CreateAsyncScope())
        {
            Assert.Equal(1, (await scope.ServiceProvider.GetRequiredService<Pruner>().PruneAsync(CancellationToken.None)).Sessions);
        }

        Assert.Equal(1, (await DrainAsync(server)).Delivered);
        var token = Assert.Single(receiver.Requests).Form["logout_token"];
        Assert.Equal(IdTokenClaim(tokens, "sid"), OAuth.JwtPayload(token)["sid"].GetString());
    }

    [Fact]
    public async Task ASessionFoundIdleOnItsNextRequestNotifiesItsClients()
    {
        using var browser = server.CreateBrowser();
        var tokens = await SignInToAsync(browser, Two);
        server.Time.Advance(TimeSpan.FromHours(9));
        var page = await browser.GetAsync("/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);

        Assert.Equal(1, (await DrainAsync(server)).Delivered);
        var received = Assert.Single(receiver.Requests);
        Assert.Equal(TwoUri, received.Uri.AbsoluteUri);
        Assert.Equal(IdTokenClaim(tokens, "sid"), OAuth.JwtPayload(received.Form["logout_token"])["sid"].GetString());
    }

    [Fact]
    public async Task LogoutAtTheEndSessionEndpointNotifiesEveryClientOfTheSessionTheInitiatorToo()
    {
        using var browser = server.CreateBrowser();
        var one = await SignInToAsync(browser, One);
        await SignInToAsync(browser, Two);
        var response = await browser.GetAsync("/connect/endsession?id_token_hint=" + one.GetProperty("id_token").GetString());
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, response.StatusCode.ToString());

        Assert.Equal(2, (await DrainAsync(server)).Delivered);
        Assert.Equal([OneUri, TwoUri], receiver.Requests.Select(r => r.Uri.AbsoluteUri).Order(StringComparer.Ordinal));
    }
}
