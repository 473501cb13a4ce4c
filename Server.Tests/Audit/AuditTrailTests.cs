using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using IdentityServer.Data;
using IdentityServer.Jobs;
using IdentityServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityServer.Tests.Audit;

/// <summary>What the audit trail records of sign-ins, credential changes and refused protocol requests, and what it never holds.</summary>
public sealed class AuditTrailTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private static async Task<IHtmlDocument> ActivityAsync(Browser browser)
    {
        var response = await browser.GetAsync("/Account/Manage/Activity");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Browser.HtmlAsync(response);
    }

    private static List<(string Type, string Detail)> Rows(IHtmlDocument page) =>
        page.QuerySelectorAll("tr[data-type]").Select(r => (r.GetAttribute("data-type")!, r.QuerySelectorAll("td")[3].TextContent)).ToList();

    private async Task<List<AuditEvent>> EventsAsync(Func<AuditEvent, bool> where)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var all = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().AuditEvents.AsNoTracking().ToListAsync();
        return all.Where(where).ToList();
    }

    [Fact]
    public async Task SignInsAndFailedAttemptsAppearOnThePersonsOwnActivityPage()
    {
        var name = await People.NewUserAsync(server, "act");
        using var browser = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.BadRequest, (await People.SignInAsync(browser, name, "not the password at all")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(browser, name, People.NewUserPassword)).StatusCode);

        var rows = Rows(await ActivityAsync(browser));
        Assert.Equal([("signin.succeeded", "pwd"), ("signin.failed", "wrong_password")], rows);
    }

    [Fact]
    public async Task APersonSeesNoneOfAnotherPersonsEvents()
    {
        var victim = await People.NewUserAsync(server, "vic");
        using (var attacker = server.CreateBrowser())
        {
            await People.SignInAsync(attacker, victim, "guessing the password");
        }

        var other = await People.NewUserAsync(server, "oth");
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, other, People.NewUserPassword);
        var page = await Browser.HtmlAsync(await browser.GetAsync("/Account/Manage/Activity?page=1&userId=" + victim));
        Assert.Equal([("signin.succeeded", "pwd")], Rows(page));
    }

    [Fact]
    public async Task TwoFactorAndPasswordChangesAreRecorded()
    {
        var name = await People.NewUserAsync(server, "cred");
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, name, People.NewUserPassword);
        var (_, enabled) = await People.EnableTwoFactorAsync(browser);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var changed = await People.PostPageAsync(browser, "/Account/Manage/ChangePassword", new Dictionary<string, string>
        {
            ["CurrentPassword"] = People.NewUserPassword, ["NewPassword"] = "lantern meadow quartz 92", ["ConfirmPassword"] = "lantern meadow quartz 92",
        });
        Assert.True(changed.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, changed.StatusCode.ToString());

        var types = Rows(await ActivityAsync(browser)).Select(r => r.Type).ToList();
        Assert.Contains("twofactor.enabled", types);
        Assert.Contains("twofactor.recovery_codes_generated", types);
        Assert.Contains("password.changed", types);
    }

    [Fact]
    public async Task ConsentGivenAndRevokedAreRecordedWithTheApp()
    {
        var name = await People.NewUserAsync(server, "cons");
        using var browser = server.CreateBrowser();
        await OAuth.SignInSpaAsync(browser, login: name, password: People.NewUserPassword);
        var revoked = await People.PostPageAsync(browser, "/Account/Manage/Apps", new Dictionary<string, string> { ["clientId"] = OAuth.Spa }, "Revoke");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        var rows = Rows(await ActivityAsync(browser));
        Assert.Equal(("consent.revoked", OAuth.Spa), rows[0]);
        Assert.Contains(("consent.granted", OAuth.Spa), rows);
    }

    [Fact]
    public async Task SigningOutIsRecordedAsTheEndOfASession()
    {
        var name = await People.NewUserAsync(server, "out");
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, name, People.NewUserPassword);
        Assert.Equal(HttpStatusCode.OK, (await People.PostPageAsync(browser, "/Account/Logout", new Dictionary<string, string>())).StatusCode);
        await People.SignInAsync(browser, name, People.NewUserPassword);

        Assert.Contains(("session.ended", "signed_out"), Rows(await ActivityAsync(browser)));
    }

    [Fact]
    public async Task AnUnknownNameAndALockoutAreRecordedWithTheirReasons()
    {
        using var browser = server.CreateBrowser();
        var unknown = "nobody-" + Guid.NewGuid().ToString("N")[..8];
        await People.SignInAsync(browser, unknown, "whatever it may be");
        var failure = Assert.Single(await EventsAsync(e => e.UserName == unknown));
        Assert.Equal(("signin.failed", "unknown_user", null), (failure.Type, failure.Reason, failure.UserId));

        var name = await People.NewUserAsync(server, "lock");
        for (var i = 0; i < 6; i++)
        {
            await People.SignInAsync(browser, name, "wrong password " + i);
        }

        var events = await EventsAsync(e => e.UserName == name);
        Assert.Single(events, e => e.Type == "signin.locked_out");
        Assert.Contains(events, e => e.Type == "signin.failed" && e.Reason == "locked_out");
    }

    [Fact]
    public async Task RefusedProtocolRequestsAreRecordedByErrorCode()
    {
        using var http = server.CreateClient();
        var badSecret = await OAuth.TokenAsync(http, new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, (OAuth.Machine, "a wrong secret 0123456789"));
        Assert.Equal(HttpStatusCode.Unauthorized, badSecret.StatusCode);
        var badCode = await OAuth.TokenAsync(http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = "not-a-code", ["redirect_uri"] = OAuth.WebRedirect, ["code_verifier"] = new string('v', 43),
        }, (OAuth.Web, OAuth.WebSecret));
        Assert.Equal(HttpStatusCode.BadRequest, badCode.StatusCode);
        var introspection = await http.PostAsync("/connect/introspect", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = "anything", ["client_id"] = OAuth.Api, ["client_secret"] = "another wrong secret 01234",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, introspection.StatusCode);

        var failures = await EventsAsync(e => e.Type is "client.authentication_failed" or "token.failed");
        Assert.Contains(failures, e => e.Type == "client.authentication_failed" && e.ClientId == OAuth.Machine && e.Reason == "invalid_client");
        Assert.Contains(failures, e => e.Type == "client.authentication_failed" && e.ClientId == OAuth.Api && e.Details!.Contains("/connect/introspect", StringComparison.Ordinal));
        Assert.Contains(failures, e => e.Type == "token.failed" && e.ClientId == OAuth.Web && e.Reason == "invalid_grant");
    }

    [Fact]
    public async Task NoEventHoldsAPasswordSecretCodeOrToken()
    {
        var name = await People.NewUserAsync(server, "sec");
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, name, "typed-password-canary-1");
        var tokens = await OAuth.SignInSpaAsync(browser, login: name, password: People.NewUserPassword);
        var refresh = tokens.GetProperty("refresh_token").GetString()!;
        await OAuth.TokenAsync(browser.Http, new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh + "x", ["client_id"] = OAuth.Spa });
        await OAuth.TokenAsync(browser.Http, new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, (OAuth.Machine, "secret-canary-0123456789"));
        await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = OAuth.Spa, ["code"] = "code-canary-42", ["redirect_uri"] = OAuth.SpaRedirect, ["code_verifier"] = new string('v', 43),
        });

        var stored = JsonSerializer.Serialize(await EventsAsync(_ => true));
        Assert.Contains("signin.succeeded", stored, StringComparison.Ordinal);
        foreach (var secret in new[] { "typed-password-canary-1", People.NewUserPassword, refresh, "secret-canary-0123456789", "code-canary-42", tokens.GetProperty("access_token").GetString()! })
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EachEventIsAlsoAStructuredLogEntryWithoutThePassword()
    {
        var logs = new LogCollector();
        using var own = new ServerFactory();
        own.TestServices.Add(services => services.AddSingleton<ILoggerProvider>(logs));
        using var browser = own.CreateBrowser();
        await People.SignInAsync(browser, "alice", "log-canary-password-7");

        var entry = Assert.Single(logs.Entries, e => e.Contains("Audit signin.failed", StringComparison.Ordinal));
        Assert.Contains("(alice)", entry, StringComparison.Ordinal);
        Assert.Contains("reason wrong_password", entry, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => e.Contains("log-canary-password-7", StringComparison.Ordinal));

        // A typed name cannot start a forged line of its own in a text log.
        await People.SignInAsync(browser, "mallory\nAudit signin.succeeded: user 1 (admin)", "whatever it is");
        var forged = Assert.Single(logs.Entries, e => e.Contains("mallory", StringComparison.Ordinal));
        Assert.Contains("mallory?Audit", forged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsOlderThanTheRetentionArePrunedAndNewerOnesKept()
    {
        using var own = new ServerFactory();
        own.Settings["IdentityServer:Pruning:AuditRetention"] = "30.00:00:00";
        using var browser = own.CreateBrowser();
        await People.SignInAsync(browser, "alice", "an old wrong guess");
        own.Time.Advance(TimeSpan.FromDays(29));
        await People.SignInAsync(browser, "alice", "a newer wrong guess");
        await own.Services.GetRequiredService<PruneJob>().RunAsync(CancellationToken.None);
        Assert.Equal(2, await CountAsync(own));

        own.Time.Advance(TimeSpan.FromDays(2));
        var result = await own.Services.GetRequiredService<PruneJob>().RunAsync(CancellationToken.None);
        Assert.True(result!.AuditEvents >= 1);
        Assert.Equal(1, await CountAsync(own));
    }

    private static async Task<int> CountAsync(ServerFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().AuditEvents.CountAsync(e => e.UserName == "alice" && e.Type == "signin.failed");
    }
}
