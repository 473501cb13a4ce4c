using System.Net;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IdentityServer.Tests.Accounts;

/// <summary>
/// Emailed links point at the issuer whatever <c>Host</c> a request names, and outside Development a request
/// for another host is refused outright.
/// </summary>
public sealed class EmailLinkTests
{
    private const string Issuer = "http://id.example.test/";
    private const string Password = "granite willow beacon 62";

    /// <summary>Every request of this browser carries <c>Host: {host}</c>.</summary>
    private static Browser Through(WebApplicationFactory<Program> server, string host) =>
        new(server.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"http://{host}/"), AllowAutoRedirect = false, HandleCookies = true }));

    private static WebApplicationFactory<Program> Production(ServerFactory server, string? allowedHosts = null)
    {
        server.Settings["IdentityServer:Issuer"] = Issuer;
        server.Settings["IdentityServer:RequireHttps"] = "false";
        server.Settings["IdentityServer:Keys:GenerateMissing"] = "true";
        if (allowedHosts is not null)
        {
            server.Settings["AllowedHosts"] = allowedHosts;
        }

        return server.WithWebHostBuilder(b => b.UseEnvironment("Production"));
    }

    [Fact]
    public async Task AResetAskedForThroughAForgedHostIsMailedWithTheIssuersLink()
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:Issuer"] = Issuer;
        using var attacker = Through(server, "evil.example");

        var answer = await People.PostPageAsync(attacker, "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "alice@example.com" });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var (_, link) = await People.LastMailAsync(server, "alice@example.com");
        Assert.StartsWith(Issuer + "Account/ResetPassword?", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAConfiguredIssuerDevelopmentLinksToTheServersOwnAddressNotTheHostHeader()
    {
        using var server = new ServerFactory();
        using var attacker = Through(server, "evil.example");

        await People.PostPageAsync(attacker, "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "alice@example.com" });
        var (_, link) = await People.LastMailAsync(server, "alice@example.com");
        Assert.StartsWith("http://localhost", link, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfirmationAndChangeEmailLinksIgnoreAForgedHost()
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:Issuer"] = Issuer;
        using var attacker = Through(server, "evil.example");

        await People.RegisterAsync(attacker, "pavel", "pavel@example.com", Password);
        var (_, confirm) = await People.LastMailAsync(server, "pavel@example.com");
        Assert.StartsWith(Issuer + "Account/ConfirmEmail?", confirm, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await attacker.GetAsync(new Uri(confirm).PathAndQuery)).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(attacker, "pavel", Password)).StatusCode);
        await People.PostPageAsync(attacker, "/Account/Manage/ChangeEmail", new Dictionary<string, string> { ["NewEmail"] = "pavel.new@example.com" });
        var (_, change) = await People.LastMailAsync(server, "pavel.new@example.com");
        Assert.StartsWith(Issuer + "Account/ConfirmEmail?", change, StringComparison.Ordinal);
        Assert.Contains("email=pavel.new", change, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideDevelopmentARequestForAnotherHostGets400()
    {
        using var server = new ServerFactory();
        await using var production = Production(server);
        using var issuer = Through(production, "id.example.test");
        using var attacker = Through(production, "evil.example");

        Assert.Equal(HttpStatusCode.OK, (await issuer.GetAsync("/.well-known/openid-configuration")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await issuer.GetAsync("/Account/ForgotPassword")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await attacker.GetAsync("/.well-known/openid-configuration")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await attacker.GetAsync("/Account/ForgotPassword")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await attacker.PostFormAsync("/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "a@example.com" })).StatusCode);
    }

    [Fact]
    public async Task AnExplicitAllowedHostsListThatIncludesTheIssuerIsKept()
    {
        using var server = new ServerFactory();
        await using var production = Production(server, "id.example.test;probe.internal");
        using var probe = Through(production, "probe.internal");
        using var attacker = Through(production, "evil.example");

        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await attacker.GetAsync("/health/live")).StatusCode);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("other.example")]
    public async Task AnAllowedHostsSettingThatLetsOthersInOrLeavesTheIssuerOutStopsStartUp(string allowedHosts)
    {
        using var server = new ServerFactory();
        await using var production = Production(server, allowedHosts);
        var error = Assert.ThrowsAny<Exception>(() => production.CreateClient()).ToString();
        Assert.Contains("AllowedHosts", error, StringComparison.Ordinal);
        Assert.Contains("id.example.test", error, StringComparison.Ordinal);
    }
}
