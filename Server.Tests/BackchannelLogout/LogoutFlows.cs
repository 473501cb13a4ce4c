using System.Net;
using System.Text.Json;
using IdentityServer.BackchannelLogout;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.BackchannelLogout;

/// <summary>Servers with two clients that declare back-channel logout URIs, and the steps the tests share.</summary>
internal static class LogoutFlows
{
    public const string One = "bcl-one";
    public const string Two = "bcl-two";
    public const string OneUri = "https://one.example/backchannel-logout";
    public const string TwoUri = "https://two.example/backchannel-logout";
    public const string Issuer = "http://localhost/";

    /// <summary>A server whose logout tokens go to <paramref name="receiver"/>, and whose drain job only a test runs.</summary>
    public static ServerFactory NewServer(LogoutReceiver receiver, string? folder = null)
    {
        var server = folder is null ? new ServerFactory() : new ServerFactory { Folder = folder };
        server.Settings["IdentityServer:Issuer"] = Issuer;
        server.Settings["IdentityServer:Pruning:Enabled"] = "false";
        server.Settings["IdentityServer:BackchannelLogout:PollInterval"] = "01:00:00";
        server.Settings["IdentityServer:BackchannelLogout:FirstRetryDelay"] = "00:00:10";
        Declare(server, One, OneUri);
        Declare(server, Two, TwoUri);
        receiver.InstallIn(server);
        return server;
    }

    public static void Declare(ServerFactory server, string clientId, string? backchannelUri)
    {
        var key = server.DeclareClient(new TestClient(clientId)
        {
            Type = "public", FirstParty = true, GrantTypes = ["authorization_code", "refresh_token"],
            Scopes = ["openid", "profile", "offline_access"], RedirectUris = [Redirect(clientId)],
        });
        if (backchannelUri is not null)
        {
            server.Settings[key + ":BackchannelLogoutUri"] = backchannelUri;
        }
    }

    public static string Redirect(string clientId) => $"https://{clientId}.example/callback";

    /// <summary>Signs the browser in to the client (signing the person in first when needed); the token response.</summary>
    public static async Task<JsonElement> SignInToAsync(Browser browser, string clientId, string login = "alice", string password = ServerFactory.AlicePassword)
    {
        var (verifier, challenge) = OAuth.Pkce();
        var redirect = await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(clientId, Redirect(clientId), challenge, "openid profile offline_access"), login, password);
        var response = await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = clientId, ["code"] = OAuth.Query(redirect)["code"],
            ["redirect_uri"] = Redirect(clientId), ["code_verifier"] = verifier,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await OAuth.JsonAsync(response);
    }

    public static string IdTokenClaim(JsonElement tokens, string claim) =>
        OAuth.JwtPayload(tokens.GetProperty("id_token").GetString()!)[claim].GetString()!;

    public static async Task SignOutAsync(Browser browser)
    {
        var response = await People.PostPageAsync(browser, "/Account/Logout", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Runs the outbox drain once, as the scheduled job would.</summary>
    public static async Task<DrainResult> DrainAsync(ServerFactory server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LogoutDrainer>().DrainAsync(CancellationToken.None);
    }
}
