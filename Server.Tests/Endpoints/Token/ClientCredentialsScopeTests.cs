using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Token;

/// <summary>client_credentials issues an access token for the client and nothing that belongs to a person's sign-in.</summary>
public sealed class ClientCredentialsScopeTests(DaemonServer server) : IClassFixture<DaemonServer>
{
    private const string Daemon = DaemonServer.Daemon;
    private const string DaemonSecret = DaemonServer.DaemonSecret;

    [Theory]
    [InlineData("daemon", "openid")]
    [InlineData("daemon", "openid api")]
    [InlineData("daemon", "offline_access api")]
    [InlineData("machine", "openid api")]
    public async Task OpenIdOrOfflineAccessOnClientCredentialsIsInvalidScope(string client, string scope)
    {
        using var http = server.CreateClient();
        var secret = client == Daemon ? DaemonSecret : OAuth.MachineSecret;
        var response = await OAuth.TokenAsync(http, Grants.ClientCredentials(scope), (client, secret));
        var body = await OAuth.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body.ToString());
        Assert.Equal("invalid_scope", body.GetProperty("error").GetString());
        Assert.False(body.TryGetProperty("id_token", out _));
    }

    [Fact]
    public async Task TheSameClientGetsItsAccessTokenForTheApiScope()
    {
        using var http = server.CreateClient();
        var response = await OAuth.TokenAsync(http, Grants.ClientCredentials("api"), (Daemon, DaemonSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await OAuth.JsonAsync(response);
        Assert.True(body.TryGetProperty("access_token", out _));
        Assert.False(body.TryGetProperty("id_token", out _));
        Assert.False(body.TryGetProperty("refresh_token", out _));
    }
}

/// <summary>
/// The demo server with a confidential client that may use openid and offline_access in principle: configuration
/// allows it. One per test class; no test changes it.
/// </summary>
public sealed class DaemonServer : ServerFactory
{
    public const string Daemon = "daemon";
    public const string DaemonSecret = "daemon-secret-daemon-secret-0123";

    public DaemonServer() =>
        this.DeclareClient(new TestClient(Daemon) { Type = "confidential", Secret = DaemonSecret, GrantTypes = ["client_credentials"], Scopes = ["openid", "offline_access", "api"] });
}
