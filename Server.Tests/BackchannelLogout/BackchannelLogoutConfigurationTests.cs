using IdentityServer.BackchannelLogout;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using static IdentityServer.Tests.BackchannelLogout.LogoutFlows;

namespace IdentityServer.Tests.BackchannelLogout;

/// <summary>How a client declares its back-channel logout URI, what start-up refuses, and what discovery says.</summary>
public sealed class BackchannelLogoutConfigurationTests
{
    [Theory]
    [InlineData("not a uri", "must be an absolute https URI.")]
    [InlineData("ftp://rp.example/logout", "must be an absolute https URI.")]
    [InlineData("http://rp.example/logout", "must use https (http only to localhost or a loopback address).")]
    [InlineData("https://rp.example/logout#here", "must not have a fragment.")]
    public void ABadBackchannelLogoutUriStopsStartUpNamingTheKey(string uri, string problem)
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:Issuer"] = Issuer;
        var key = server.DeclareClient(new TestClient("bcl-bad")
        {
            Type = "public", GrantTypes = ["authorization_code"], Scopes = ["openid"], RedirectUris = ["https://bcl-bad.example/callback"],
        });
        server.Settings[key + ":BackchannelLogoutUri"] = uri;

        var error = Assert.ThrowsAny<Exception>(() => server.CreateClient()).ToString();
        Assert.Contains($"{key}:BackchannelLogoutUri: '{uri}' {problem}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ABackchannelLogoutUriWithoutAnIssuerStopsStartUp()
    {
        using var server = new ServerFactory();
        var key = server.DeclareClient(new TestClient("bcl-no-issuer")
        {
            Type = "public", GrantTypes = ["authorization_code"], Scopes = ["openid"], RedirectUris = ["https://bcl.example/callback"],
        });
        server.Settings[key + ":BackchannelLogoutUri"] = "https://bcl.example/logout";

        var error = Assert.ThrowsAny<Exception>(() => server.CreateClient()).ToString();
        Assert.Contains($"IdentityServer:Issuer: back-channel logout ({key}:BackchannelLogoutUri) needs an explicit issuer", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnHttpLoopbackUriServesADeveloperMachine()
    {
        await using var server = new ServerFactory();
        server.Settings["IdentityServer:Issuer"] = Issuer;
        Declare(server, "bcl-local", "http://127.0.0.1:5002/backchannel-logout");
        using var client = server.CreateClient();
        Assert.True((await client.GetAsync("/.well-known/openid-configuration")).IsSuccessStatusCode);
    }

    [Fact]
    public async Task DiscoveryAdvertisesBackchannelLogoutWithSessions()
    {
        await using var server = new ServerFactory();
        var discovery = await OAuth.JsonAsync(await server.CreateClient().GetAsync("/.well-known/openid-configuration"));
        Assert.True(discovery.GetProperty("backchannel_logout_supported").GetBoolean());
        Assert.True(discovery.GetProperty("backchannel_logout_session_supported").GetBoolean());
    }

    [Fact]
    public async Task WhenDisabledDiscoveryIsSilentAndNothingIsQueued()
    {
        var receiver = new LogoutReceiver();
        await using var server = NewServer(receiver);
        server.Settings["IdentityServer:BackchannelLogout:Enabled"] = "false";
        var discovery = await OAuth.JsonAsync(await server.CreateClient().GetAsync("/.well-known/openid-configuration"));
        Assert.False(discovery.TryGetProperty("backchannel_logout_supported", out _));
        Assert.False(discovery.TryGetProperty("backchannel_logout_session_supported", out _));

        using var browser = server.CreateBrowser();
        await SignInToAsync(browser, One);
        await SignOutAsync(browser);
        Assert.Equal(new(0, 0, 0), await DrainAsync(server));
        Assert.Empty(receiver.Requests);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task TheDrainJobIsScheduledEveryPollIntervalBesideThePruneJob(bool pruning, bool enabled)
    {
        await using var server = new ServerFactory();
        server.Settings["IdentityServer:Pruning:Enabled"] = pruning ? "true" : "false";
        server.Settings["IdentityServer:BackchannelLogout:Enabled"] = enabled ? "true" : "false";
        server.Settings["IdentityServer:BackchannelLogout:PollInterval"] = "00:00:42";
        server.CreateClient().Dispose();

        var scheduler = await server.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        Assert.Equal(enabled, await scheduler.GetJobDetail(BackchannelLogoutJob.Key) is not null);
        var trigger = await scheduler.GetTrigger(new TriggerKey("backchannel-logout-trigger", "notifications"));
        Assert.Equal(enabled, trigger is not null);
        if (enabled)
        {
            Assert.Equal(TimeSpan.FromSeconds(42), Assert.IsAssignableFrom<ISimpleTrigger>(trigger).RepeatInterval);
        }

        Assert.Single(server.Services.GetServices<IHostedService>(), s => s is QuartzHostedService);
    }

    [Fact]
    public async Task AChangedUriIsAppliedAtTheNextStartAndARemovedOneStopsNotifications()
    {
        var receiver = new LogoutReceiver();
        var folder = ServerFactory.NewFolder();
        try
        {
            await using (var first = NewServer(receiver, folder))
            {
                first.CreateClient().Dispose();
            }

            await using (var second = NewServer(receiver, folder))
            {
                second.Settings[second.Settings.Single(kv => kv.Value == OneUri).Key] = "https://one.example/new-logout";
                second.Settings[second.Settings.Single(kv => kv.Value == TwoUri).Key] = null;
                using var browser = second.CreateBrowser();
                await SignInToAsync(browser, One);
                await SignInToAsync(browser, Two);
                await SignOutAsync(browser);
                await DrainAsync(second);
            }

            Assert.Equal("https://one.example/new-logout", Assert.Single(receiver.Requests).Uri.AbsoluteUri);
        }
        finally
        {
            ServerFactory.DeleteFolder(folder);
        }
    }
}
