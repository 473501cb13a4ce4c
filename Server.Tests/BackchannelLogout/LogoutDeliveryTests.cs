using System.Net;
using IdentityServer.BackchannelLogout;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static IdentityServer.Tests.BackchannelLogout.LogoutFlows;

namespace IdentityServer.Tests.BackchannelLogout;

/// <summary>The outbox: a client that fails is tried again later with growing waits, across restarts, and given up in the end.</summary>
public sealed class LogoutDeliveryTests
{
    [Fact]
    public async Task AReceiverThatFailsTwiceStillGetsTheTokenAfterBackoff()
    {
        var receiver = new LogoutReceiver();
        await using var server = NewServer(receiver);
        server.Settings["IdentityServer:Telemetry:Prometheus"] = "true";
        server.TestServices.Add(services => services.Configure<OpenTelemetry.Exporter.PrometheusAspNetCoreOptions>(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        using var browser = server.CreateBrowser();
        var tokens = await SignInToAsync(browser, One);
        await SignOutAsync(browser);
        receiver.AnswerNext(HttpStatusCode.ServiceUnavailable, HttpStatusCode.InternalServerError);

        Assert.Equal(1, (await DrainAsync(server)).Retrying);
        Assert.Equal(new(0, 0, 0), await DrainAsync(server));
        Assert.Single(receiver.Requests);

        server.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, (await DrainAsync(server)).Retrying);

        // The second wait is twice the first.
        server.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, (await DrainAsync(server)).Delivered);
        server.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, (await DrainAsync(server)).Delivered);

        var attempts = receiver.Requests.ToList();
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(a => OAuth.JwtPayload(a.Form["logout_token"])["sid"].GetString()).Distinct());
        await LogoutReceiver.ValidateAsync(server.CreateClient(), attempts[^1].Form["logout_token"], One);
        Assert.Equal(IdTokenClaim(tokens, "sid"), OAuth.JwtPayload(attempts[^1].Form["logout_token"])["sid"].GetString());

        var metrics = await browser.Http.GetStringAsync("/metrics");
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("identityserver_backchannel_logout_attempts", StringComparison.Ordinal)
            && l.Contains("client_id=\"bcl-one\"", StringComparison.Ordinal) && l.Contains("result=\"retrying\"", StringComparison.Ordinal) && l.EndsWith(" 2", StringComparison.Ordinal));
        Assert.Contains("result=\"delivered\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(attempts[^1].Form["logout_token"].Split('.')[2], metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARestartBetweenAttemptsLosesNothing()
    {
        var receiver = new LogoutReceiver();
        var folder = ServerFactory.NewFolder();
        try
        {
            string sid;
            await using (var first = NewServer(receiver, folder))
            {
                using var browser = first.CreateBrowser();
                sid = IdTokenClaim(await SignInToAsync(browser, One), "sid");
                await SignOutAsync(browser);
                receiver.AnswerNext(HttpStatusCode.BadGateway);
                Assert.Equal(1, (await DrainAsync(first)).Retrying);
            }

            await using var second = NewServer(receiver, folder);
            second.CreateClient().Dispose();
            second.Time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(1, (await DrainAsync(second)).Delivered);

            var delivered = receiver.Requests.Last().Form["logout_token"];
            await LogoutReceiver.ValidateAsync(second.CreateClient(), delivered, One);
            Assert.Equal(sid, OAuth.JwtPayload(delivered)["sid"].GetString());
            Assert.Equal(2, receiver.Requests.Count);
        }
        finally
        {
            ServerFactory.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task ANotificationIsGivenUpAfterMaxAttemptsAndTheTokenNeverReachesTheLog()
    {
        var receiver = new LogoutReceiver();
        var logs = new LogCollector();
        await using var server = NewServer(receiver);
        server.Settings["IdentityServer:BackchannelLogout:MaxAttempts"] = "2";
        server.TestServices.Add(services => services.AddSingleton<ILoggerProvider>(logs));
        using var browser = server.CreateBrowser();
        await SignInToAsync(browser, One);
        await SignOutAsync(browser);
        receiver.AnswerNext(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable);

        Assert.Equal(1, (await DrainAsync(server)).Retrying);
        server.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await DrainAsync(server)).GivenUp);
        server.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(new(0, 0, 0), await DrainAsync(server));

        Assert.Equal(2, receiver.Requests.Count);
        Assert.Contains(logs.Entries, e => e.Contains("given up after 2 attempt(s)", StringComparison.Ordinal) && e.Contains(One, StringComparison.Ordinal));
        foreach (var token in receiver.Requests.Select(r => r.Form["logout_token"]))
        {
            Assert.DoesNotContain(logs.Entries, e => e.Contains(token, StringComparison.Ordinal) || e.Contains(token.Split('.')[2], StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AClientThatRefusesTheTokenIsNotAskedAgain()
    {
        var receiver = new LogoutReceiver();
        await using var server = NewServer(receiver);
        using var browser = server.CreateBrowser();
        await SignInToAsync(browser, One);
        await SignOutAsync(browser);
        receiver.AnswerNext(HttpStatusCode.BadRequest);

        Assert.Equal(1, (await DrainAsync(server)).GivenUp);
        server.Time.Advance(TimeSpan.FromHours(2));
        await DrainAsync(server);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task TwoSendersDrainingAtOnceDeliverEachNotificationOnce()
    {
        var receiver = new LogoutReceiver();
        await using var server = NewServer(receiver);
        for (var i = 0; i < 6; i++)
        {
            using var browser = server.CreateBrowser();
            await SignInToAsync(browser, One);
            await SignInToAsync(browser, Two);
            await SignOutAsync(browser);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DrainAsync(server)));
        Assert.Equal(12, results.Sum(r => r.Delivered));
        Assert.Equal(12, receiver.Requests.Count);
        Assert.Equal(12, receiver.Requests.Select(r => OAuth.JwtPayload(r.Form["logout_token"])).Select(p => (p["aud"].GetString(), p["sid"].GetString())).Distinct().Count());
    }

    [Fact]
    public async Task AFiringOfTheScheduledJobSendsWhatIsDue()
    {
        var receiver = new LogoutReceiver();
        await using var server = NewServer(receiver);
        using var browser = server.CreateBrowser();
        await SignInToAsync(browser, One);
        await SignOutAsync(browser);

        // The job reads nothing from its firing's context: called as Quartz would call it, without waiting for a firing.
        await server.Services.GetRequiredService<BackchannelLogoutJob>().Execute(null!, CancellationToken.None);
        Assert.Equal(OneUri, Assert.Single(receiver.Requests).Uri.AbsoluteUri);
    }

    [Fact]
    public async Task WithES256AccessTokensTheLogoutTokenIsSignedLikeTheIdentityTokens()
    {
        var receiver = new LogoutReceiver();
        await using var server = NewServer(receiver);
        server.Settings["IdentityServer:Keys:AccessTokenSigningAlgorithm"] = "ES256";
        using var browser = server.CreateBrowser();
        var idToken = (await SignInToAsync(browser, One)).GetProperty("id_token").GetString()!;
        await SignOutAsync(browser);
        await DrainAsync(server);

        var token = Assert.Single(receiver.Requests).Form["logout_token"];
        await LogoutReceiver.ValidateAsync(server.CreateClient(), token, One);
        Assert.Equal("RS256", OAuth.JwtHeader(token)["alg"].GetString());
        Assert.Equal(OAuth.JwtHeader(idToken)["kid"].GetString(), OAuth.JwtHeader(token)["kid"].GetString());
    }
}
