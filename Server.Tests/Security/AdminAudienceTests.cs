using System.Net;
using System.Text.Json;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Security;

/// <summary>
/// An admin token names the admin API as its only audience. A client permitted both admin scopes and another API's
/// scope asks for both at once, to get one token the other API would accept too (and could replay against the admin
/// API): refused with invalid_scope, for a machine at the token endpoint and for an admin at the authorization endpoint.
/// </summary>
public sealed class AdminAudienceTests(AdminAudienceTests.Server server) : IClassFixture<AdminAudienceTests.Server>
{
    private const string Machine = "mixed-machine";
    private const string MachineSecret = "mixed-machine-secret-0123456789-abcdef";
    private const string Console = "mixed-console";
    private const string Redirect = "http://localhost:5173/mixed-callback";

    /// <summary>The demo server plus two clients configuration permits the admin scopes and the demo API's scope.</summary>
    public sealed class Server : ServerFactory
    {
        public Server()
        {
            this.DeclareClient(new TestClient(Machine) { Type = "confidential", Secret = MachineSecret, GrantTypes = ["client_credentials"], Scopes = ["api", "admin.read"] });
            this.DeclareClient(new TestClient(Console) { Type = "public", GrantTypes = ["authorization_code"], Scopes = ["openid", "api", "admin.read"], RedirectUris = [Redirect] });
        }
    }

    [Fact]
    public async Task AMachineAskingForAdminAndApiScopesTogetherIsRefused()
    {
        using var http = server.CreateClient();

        var mixed = await Grants.MachineTokenAsync(http, "admin.read api", (Machine, MachineSecret));
        var admin = await Grants.MachineTokenAsync(http, "admin.read", (Machine, MachineSecret));
        var api = await Grants.MachineTokenAsync(http, "api", (Machine, MachineSecret));

        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        var error = await OAuth.JsonAsync(mixed);
        Assert.Equal("invalid_scope", error.GetProperty("error").GetString());
        Assert.Contains("admin API alone", error.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal(["admin-api"], Audiences(await AccessTokenAsync(admin)));
        Assert.DoesNotContain("admin-api", Audiences(await AccessTokenAsync(api)));
    }

    [Fact]
    public async Task AnAdminAskingForAdminAndApiScopesTogetherGetsNoCode()
    {
        using var browser = server.CreateBrowser();
        var (_, challenge) = OAuth.Pkce();

        var redirect = await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(Console, Redirect, challenge, "openid admin.read api"));

        var answer = OAuth.Query(redirect);
        Assert.Equal("invalid_scope", answer["error"]);
        Assert.False(answer.ContainsKey("code"));
    }

    private static async Task<string> AccessTokenAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await OAuth.JsonAsync(response)).GetProperty("access_token").GetString()!;
    }

    private static List<string> Audiences(string jwt) =>
        OAuth.JwtPayload(jwt).TryGetValue("aud", out var aud)
            ? aud.ValueKind == JsonValueKind.Array ? [.. aud.EnumerateArray().Select(a => a.GetString()!)] : [aud.GetString()!]
            : [];
}
