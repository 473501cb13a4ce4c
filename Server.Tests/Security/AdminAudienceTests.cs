using System.Net;
using System.Text.Json;
using IdentityServer.Tests.Endpoints.Admin;
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
    private const string Device = "mixed-device";

    /// <summary>The demo server plus two clients configuration permits the admin scopes and the demo API's scope.</summary>
    public sealed class Server : ServerFactory
    {
        public Server()
        {
            this.DeclareClient(new TestClient(Machine) { Type = "confidential", Secret = MachineSecret, GrantTypes = ["client_credentials"], Scopes = ["api", "admin.read"] });
            this.DeclareClient(new TestClient(Console) { Type = "public", GrantTypes = ["authorization_code"], Scopes = ["openid", "api", "admin.read"], RedirectUris = [Redirect] });
            this.DeclareClient(new TestClient(Device) { Type = "public", GrantTypes = ["device_code"], Scopes = ["openid", "api", "admin.read"] });
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
        // Refused while the request was validated: nobody signed in, and no consent or grant was recorded for it.
        using var http = server.CreateClient();
        var admin = await AdminApi.TokenAsync(http);
        Assert.Equal(0, (await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/grants?clientId={Console}", admin))).GetProperty("total").GetInt32());
        Assert.Equal(0, (await AdminApi.OkJsonAsync(await AdminApi.GetAsync(http, $"/admin/api/audit?clientId={Console}", admin))).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("/connect/par", Console, "admin.read api")]
    [InlineData("/connect/device", Device, "openid admin.read api")]
    [InlineData("/connect/device", Device, "admin.read")]
    public async Task PushedAndDeviceRequestsForTheMixAreRefusedAtOnce(string endpoint, string clientId, string scope)
    {
        using var http = server.CreateClient();
        var (_, challenge) = OAuth.Pkce();
        var form = new Dictionary<string, string> { ["client_id"] = clientId, ["scope"] = scope };
        if (endpoint == "/connect/par")
        {
            form["response_type"] = "code";
            form["redirect_uri"] = Redirect;
            form["code_challenge"] = challenge;
            form["code_challenge_method"] = "S256";
        }

        var response = await http.PostAsync(endpoint, new FormUrlEncodedContent(form));

        if (scope == "admin.read")
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_scope", (await OAuth.JsonAsync(response)).GetProperty("error").GetString());
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
