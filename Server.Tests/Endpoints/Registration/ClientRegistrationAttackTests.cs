using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Registration;

/// <summary>Attacks on the client configuration endpoint (RFC 7592), performed on the wire: each is a 401 and changes nothing.</summary>
public sealed class ClientRegistrationAttackTests(RegistrationServer server) : IClassFixture<RegistrationServer>
{
    private static async Task<(string ClientId, string Token)> RegisterAsync(HttpClient http)
    {
        var body = await Registrations.RegisterAsync(http);
        return (body.GetProperty("client_id").GetString()!, body.GetProperty("registration_access_token").GetString()!);
    }

    [Fact]
    public async Task AWrongOrMissingRegistrationTokenNeitherReadsNorDeletes()
    {
        using var http = server.CreateClient();
        var (clientId, token) = await RegisterAsync(http);

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Delete })
        {
            var wrong = await Registrations.ManageAsync(http, method, clientId, token[..^2] + (token[^2..] == "AA" ? "BB" : "AA"));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("Bearer error=\"invalid_token\"", wrong.Headers.WwwAuthenticate.ToString());
            Assert.Equal("invalid_token", Registrations.Error(await OAuth.JsonAsync(wrong)));

            var missing = await Registrations.ManageAsync(http, method, clientId, null);
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
            Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.ToString());
        }

        Assert.Equal(HttpStatusCode.OK, (await Registrations.ManageAsync(http, HttpMethod.Get, clientId, token)).StatusCode);
    }

    [Fact]
    public async Task AnotherClientsRegistrationTokenNeitherReadsNorDeletes()
    {
        using var http = server.CreateClient();
        var (victim, victimToken) = await RegisterAsync(http);
        var (_, attackerToken) = await RegisterAsync(http);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Registrations.ManageAsync(http, HttpMethod.Get, victim, attackerToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Registrations.ManageAsync(http, HttpMethod.Delete, victim, attackerToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Registrations.ManageAsync(http, HttpMethod.Get, victim, victimToken)).StatusCode);
    }

    [Fact]
    public async Task AConfiguredClientCannotBeReadOrDeletedThroughRegistrationManagement()
    {
        using var http = server.CreateClient();
        var (_, token) = await RegisterAsync(http);

        foreach (var clientId in new[] { OAuth.Spa, OAuth.Web, "no-such-client" })
        {
            var deleted = await Registrations.ManageAsync(http, HttpMethod.Delete, clientId, token);
            Assert.Equal(HttpStatusCode.Unauthorized, deleted.StatusCode);
            Assert.Equal("invalid_token", Registrations.Error(await OAuth.JsonAsync(deleted)));
        }

        using var browser = server.CreateBrowser();
        Assert.True((await OAuth.SignInSpaAsync(browser)).TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task ARegisteredClientGetsNoCodeWithoutPkceOrForAnUnregisteredRedirect()
    {
        using var http = server.CreateClient();
        var (clientId, _) = await RegisterAsync(http);
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");

        var withoutPkce = OAuth.CodeRequest(clientId, Registrations.LoopbackRedirect, "unused", "openid");
        withoutPkce.Remove("code_challenge");
        withoutPkce.Remove("code_challenge_method");
        var noPkce = await browser.GetAsync(OAuth.AuthorizeUrl(withoutPkce));
        Assert.Equal("invalid_request", OAuth.Query(noPkce.Headers.Location!)["error"]);

        // Exact matching: another path on the same loopback host is not the registered URI.
        var elsewhere = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(clientId, "http://127.0.0.1:49152/other", OAuth.Pkce().Challenge, "openid")));
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Null(elsewhere.Headers.Location);
    }

    [Fact]
    public async Task TheRegistrationTokenIsNotAnAccessTokenAndNoSecretIsIssued()
    {
        using var http = server.CreateClient();
        var (clientId, token) = await RegisterAsync(http);

        using var userinfo = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        userinfo.Headers.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(userinfo)).StatusCode);

        // A public client: presenting a secret, or asking for machine tokens, is refused.
        var machine = await OAuth.TokenAsync(http, new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId });
        Assert.Equal("invalid_client", Registrations.Error(await OAuth.JsonAsync(machine)));
    }
}
