using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.RateLimiting;

/// <summary>
/// Wrong client secrets, under the real default settings (10 a minute per address, 30 per client), at the
/// token, introspection and revocation endpoints; and the per-client request rate.
/// </summary>
public sealed class ClientAuthenticationLimitTests
{
    private const string WrongSecret = "not-the-secret-at-all-0123456789";

    [Fact]
    public async Task WrongSecretsAnswer401UntilTheAddressBudgetIsSpentThen429WithoutCheckingAnySecret()
    {
        using var server = new AddressedServerFactory { RaiseRateLimits = false };
        using var attacker = server.CreateClient("203.0.113.9");
        for (var i = 0; i < 10; i++)
        {
            var wrong = await ClientCredentialsAsync(attacker, OAuth.Machine, WrongSecret);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("invalid_client", (await OAuth.JsonAsync(wrong)).GetProperty("error").GetString());
        }

        var refused = await ClientCredentialsAsync(attacker, OAuth.Machine, WrongSecret);
        await AssertTooManyRequestsAsync(refused, 60);

        // Nothing is checked from that address now: even a right secret never seen before is refused.
        await AssertTooManyRequestsAsync(await ClientCredentialsAsync(attacker, OAuth.Api, OAuth.ApiSecret), 60);

        // The client's own budget is not spent: from elsewhere it authenticates.
        Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(server.CreateClient("198.51.100.20"), OAuth.Machine, OAuth.MachineSecret)).StatusCode);
    }

    [Fact]
    public async Task AFloodOfWrongSecretsForWebStarvesNeitherTheRealWebNorMachine()
    {
        using var server = new AddressedServerFactory { RaiseRateLimits = false };
        using var web = server.CreateClient("198.51.100.1");
        using var machine = server.CreateClient("198.51.100.2");
        await AssertWebAuthenticatesAsync(web);
        Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(machine, OAuth.Machine, OAuth.MachineSecret)).StatusCode);

        // 200 wrong secrets for web: from one address, and spread over 40 more (5 each, under the address budget).
        var statuses = new List<HttpStatusCode>();
        using (var one = server.CreateClient("203.0.113.1"))
        {
            for (var i = 0; i < 40; i++)
            {
                statuses.Add((await ClientCredentialsAsync(one, OAuth.Web, WrongSecret)).StatusCode);
            }
        }

        for (var host = 0; host < 40; host++)
        {
            using var bot = server.CreateClient($"192.0.2.{host + 10}");
            for (var i = 0; i < 4; i++)
            {
                statuses.Add((await ClientCredentialsAsync(bot, OAuth.Web, WrongSecret)).StatusCode);
            }
        }

        // Each wrong secret was hashed at most until web's budget (30) was spent; everything after is a 429.
        Assert.Equal(30, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(statuses.Count - 30, statuses.Count(s => s == HttpStatusCode.TooManyRequests));

        // The real clients, even from an address the flood came from, are answered as before.
        using var sharedAddress = server.CreateClient("203.0.113.1");
        for (var i = 0; i < 20; i++)
        {
            await AssertWebAuthenticatesAsync(web);
            Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(machine, OAuth.Machine, OAuth.MachineSecret)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(sharedAddress, OAuth.Machine, OAuth.MachineSecret)).StatusCode);
        }
    }

    [Fact]
    public async Task IntrospectionAndRevocationCountTowardTheSameBudgets()
    {
        using var server = new ServerFactory { RaiseRateLimits = false };
        using var http = server.CreateClient();
        foreach (var endpoint in new[] { "/connect/token", "/connect/introspect", "/connect/revoke", "/connect/introspect", "/connect/revoke" })
        {
            for (var i = 0; i < 2; i++)
            {
                var wrong = await PostAsync(http, endpoint, OAuth.Api, WrongSecret);
                Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
                Assert.Equal("invalid_client", (await OAuth.JsonAsync(wrong)).GetProperty("error").GetString());
            }
        }

        await AssertTooManyRequestsAsync(await PostAsync(http, "/connect/introspect", OAuth.Api, WrongSecret), 60);
        await AssertTooManyRequestsAsync(await PostAsync(http, "/connect/revoke", OAuth.Api, WrongSecret), 60);
        await AssertTooManyRequestsAsync(await PostAsync(http, "/connect/token", OAuth.Api, WrongSecret), 60);
    }

    [Fact]
    public async Task ASpentBudgetBlocksForAMinuteThenTwiceAsLongEachTimeItIsSpentAgain()
    {
        using var server = new ServerFactory { RaiseRateLimits = false };
        using var http = server.CreateClient();
        foreach (var expected in new[] { 60, 120, 240 })
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await ClientCredentialsAsync(http, OAuth.Machine, WrongSecret)).StatusCode);
            }

            await AssertTooManyRequestsAsync(await ClientCredentialsAsync(http, OAuth.Machine, WrongSecret), expected);
            server.Time.Advance(TimeSpan.FromSeconds(expected - 1));
            Assert.Equal(HttpStatusCode.TooManyRequests, (await ClientCredentialsAsync(http, OAuth.Machine, WrongSecret)).StatusCode);
            server.Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task TheRequestRateIsCountedPerClientOnlyOnceItHasAuthenticated()
    {
        using var server = new AddressedServerFactory();
        server.Settings["IdentityServer:RateLimits:TokenRequestsPerSecondPerClient"] = "3";
        using var machine = server.CreateClient("198.51.100.2");
        using var attacker = server.CreateClient("203.0.113.9");
        Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(machine, OAuth.Machine, OAuth.MachineSecret)).StatusCode);

        // Requests in machine's name that do not authenticate do not spend its rate.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await ClientCredentialsAsync(attacker, OAuth.Machine, WrongSecret)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await ClientCredentialsAsync(machine, OAuth.Machine, OAuth.MachineSecret)).StatusCode);

        // Its own requests do: within a second, a 429 with JSON comes.
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 10 && limited is null; i++)
        {
            var response = await ClientCredentialsAsync(machine, OAuth.Machine, OAuth.MachineSecret);
            limited = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(limited);
        Assert.Equal(1, RateLimitTests.RetryAfter(limited));
        Assert.Equal("too_many_requests", (await OAuth.JsonAsync(limited)).GetProperty("error").GetString());
    }

    private static Task<HttpResponseMessage> ClientCredentialsAsync(HttpClient http, string id, string secret) =>
        OAuth.TokenAsync(http, Grants.ClientCredentials(), (id, secret));

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string endpoint, string id, string secret)
    {
        var form = endpoint == "/connect/token"
            ? Grants.ClientCredentials()
            : new Dictionary<string, string> { ["token"] = "some-token-value" };
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = OAuth.BasicAuth(id, secret);
        return await http.SendAsync(request);
    }

    /// <summary>web has no client_credentials grant: a refresh with a made-up token reaches invalid_grant only once web has authenticated.</summary>
    private static async Task AssertWebAuthenticatesAsync(HttpClient http)
    {
        var response = await OAuth.TokenAsync(http, new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "made-up" }, (OAuth.Web, OAuth.WebSecret));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await OAuth.JsonAsync(response)).GetProperty("error").GetString());
    }

    private static async Task AssertTooManyRequestsAsync(HttpResponseMessage response, int retryAfter)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(retryAfter, RateLimitTests.RetryAfter(response));
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal("too_many_requests", (await OAuth.JsonAsync(response)).GetProperty("error").GetString());
    }
}
