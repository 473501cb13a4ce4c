using System.Net;
using System.Net.Http.Headers;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Hosting;

public sealed class SigningKeyTests
{
    private static async Task<string> ClientCredentialsTokenAsync(HttpClient http) =>
        (await OAuth.JsonAsync(await Grants.MachineTokenAsync(http)))
            .GetProperty("access_token").GetString()!;

    [Fact]
    public async Task KeysSurviveARestartSoEarlierTokensStillValidate()
    {
        var folder = ServerFactory.NewFolder();
        try
        {
            string token;
            string jwks;
            await using (var first = new ServerFactory { Folder = folder })
            {
                using var http = first.CreateClient();
                token = await ClientCredentialsTokenAsync(http);
                jwks = await http.GetStringAsync("/.well-known/jwks");
            }

            await using var second = new ServerFactory { Folder = folder };
            using var again = second.CreateClient();
            Assert.Equal(jwks, await again.GetStringAsync("/.well-known/jwks"));
            Assert.Contains(OAuth.JwtHeader(token)["kid"].GetString()!, jwks, StringComparison.Ordinal);
            Assert.True((await OAuth.IntrospectAsync(again, token)).GetProperty("active").GetBoolean());
        }
        finally
        {
            ServerFactory.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task Es256SignsAccessTokensWhileIdTokensStayRs256()
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:Keys:AccessTokenSigningAlgorithm"] = "ES256";
        using var browser = server.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser);
        Assert.Equal("ES256", OAuth.JwtHeader(tokens.GetProperty("access_token").GetString()!)["alg"].GetString());
        Assert.Equal("RS256", OAuth.JwtHeader(tokens.GetProperty("id_token").GetString()!)["alg"].GetString());

        var discovery = await OAuth.JsonAsync(await browser.GetAsync("/.well-known/openid-configuration"));
        Assert.Equal(["RS256"], discovery.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
        var keys = (await OAuth.JsonAsync(await browser.GetAsync("/.well-known/jwks"))).GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kty").GetString()).ToList();
        Assert.Contains("EC", keys);
        Assert.Contains("RSA", keys);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public void AMissingConfiguredKeyFileNamesTheFileAndIsNeverGenerated()
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:Keys:GenerateMissing"] = "false";
        server.Settings["IdentityServer:Keys:RsaSigningKeyFile"] = Path.Combine(server.Folder, "missing", "signing.pem");
        var error = Assert.ThrowsAny<Exception>(() => server.CreateClient());
        Assert.Contains(Path.Combine(server.Folder, "missing", "signing.pem"), error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(server.Folder, "missing", "signing.pem")));
    }
}
