using System.Globalization;
using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Registration;

/// <summary>Whether registration is on, who may register, and how often: each on its own server.</summary>
public sealed class ClientRegistrationPolicyTests
{
    private const string InitialToken = "initial-access-token-0123456789-abcdefghij";

    [Fact]
    public async Task RegistrationIsOffByDefaultAndThenNeitherServedNorAdvertised()
    {
        await using var server = new ServerFactory();
        using var http = server.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await Registrations.PostAsync(http, Registrations.Metadata())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Registrations.ManageAsync(http, HttpMethod.Get, OAuth.Spa, "x")).StatusCode);
        var discovery = await OAuth.JsonAsync(await http.GetAsync("/.well-known/openid-configuration"));
        Assert.False(discovery.TryGetProperty("registration_endpoint", out _));
    }

    [Fact]
    public async Task TheInitialAccessTokenPolicyRegistersOnlyWithAConfiguredToken()
    {
        await using var server = new ServerFactory();
        Registrations.Enable(server);
        server.Settings["IdentityServer:Registration:Policy"] = "InitialAccessToken";
        server.Settings["IdentityServer:Registration:InitialAccessTokens:0"] = InitialToken;
        using var http = server.CreateClient();

        var missing = await Registrations.PostAsync(http, Registrations.Metadata());
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.ToString());
        Assert.Equal("invalid_token", Registrations.Error(await OAuth.JsonAsync(missing)));

        foreach (var wrong in new[] { InitialToken + "x", InitialToken[..^1], "initial", OAuth.MachineSecret })
        {
            var refused = await Registrations.PostAsync(http, Registrations.Metadata(), wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString());
        }

        // The token is checked before the body is read: without it, not even the body's shape is judged.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Registrations.PostRawAsync(http, "garbage", "text/plain")).StatusCode);

        var registered = await Registrations.PostAsync(http, Registrations.Metadata(), InitialToken);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var clientId = (await OAuth.JsonAsync(registered)).GetProperty("client_id").GetString()!;
        using var browser = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.OK, (await Registrations.SignInAsync(browser, clientId)).StatusCode);
    }

    [Fact]
    public async Task RegistrationsPastTheHourlyLimitOfAnAddressGet429WithRetryAfter()
    {
        await using var server = new ServerFactory();
        Registrations.Enable(server);
        server.Settings["IdentityServer:RateLimits:RegistrationsPerHourPerAddress"] = "3";
        using var http = server.CreateClient();

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await Registrations.PostAsync(http, Registrations.Metadata())).StatusCode);
        }

        // Refused registrations count too: the limit is on attempts, so it cannot be probed for free.
        Assert.Equal(HttpStatusCode.BadRequest, (await Registrations.PostRawAsync(http, "{}", "application/json")).StatusCode);
        var limited = await Registrations.PostAsync(http, Registrations.Metadata());

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture), 1, 3600);

        // Reading and deleting are not registrations: the limit does not touch them.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Registrations.ManageAsync(http, HttpMethod.Get, "x", "y")).StatusCode);
    }

    [Fact]
    public async Task AStartWithAnUnusableRegistrationSettingStopsAndNamesTheKey()
    {
        await using var server = new ServerFactory();
        Registrations.Enable(server);
        server.Settings["IdentityServer:Registration:Policy"] = "InitialAccessToken";
        server.Settings["IdentityServer:Registration:InitialAccessTokens:0"] = "tiny-tok";
        server.Settings["IdentityServer:Registration:AllowedScopes:0"] = "openid";
        server.Settings["IdentityServer:Registration:AllowedScopes:1"] = "not-declared";

        var failure = Assert.ThrowsAny<Exception>(() => server.CreateClient());
        var message = failure.ToString();
        Assert.Contains("IdentityServer:Registration:InitialAccessTokens:0", message, StringComparison.Ordinal);
        Assert.Contains("IdentityServer:Registration:AllowedScopes: 'not-declared'", message, StringComparison.Ordinal);
        Assert.DoesNotContain("tiny-tok", message, StringComparison.Ordinal);
    }
}
