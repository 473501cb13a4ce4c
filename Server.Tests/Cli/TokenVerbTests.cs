using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using IdentityServer.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Tests.Cli;

/// <summary><c>token</c>: what it mints is a token the running server itself accepts, signed with the keys its JWKS publishes.</summary>
public sealed class TokenVerbTests
{
    [Fact]
    public async Task AMintedTokenIsAcceptedByTheRunningServer()
    {
        using var cli = new CliProcess();
        var port = LoopbackPort.Free();
        var issuer = $"http://127.0.0.1:{port}/";

        var personal = (await cli.RunAsync("token", "--user", "alice", "--scope", "openid profile", "--issuer", issuer)).Succeeded().Output.Trim();
        var machine = (await cli.RunAsync("token", "--client", "machine", "--scope", "api", "--claim", "tenant=acme", "--lifetime", "5m", "--issuer", issuer)).Succeeded().Output.Trim();
        using (var decoded = JsonDocument.Parse((await cli.RunAsync("token", "--client", "machine", "--scope", "api", "--issuer", issuer, "--decode")).Succeeded().Output))
        {
            Assert.Equal("at+jwt", decoded.RootElement.GetProperty("header").GetProperty("typ").GetString());
            Assert.Equal("machine", decoded.RootElement.GetProperty("claims").GetProperty("client_id").GetString());
        }

        Assert.Contains("admin API alone", (await cli.RunAsync("token", "--client", "admin-cli", "--scope", "admin.read", "--audience", "admin-api", "--audience", "https://api.example/", "--issuer", issuer)).FailedWithOneLine(), StringComparison.Ordinal);
        Assert.Contains("may not ask for 'admin.write'", (await cli.RunAsync("token", "--client", "machine", "--scope", "admin.write", "--issuer", issuer)).FailedWithOneLine(), StringComparison.Ordinal);

        using var server = Process.Start(CliProcess.Start(cli.Environment, ["--urls", $"http://127.0.0.1:{port}"]))!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line;
            while ((line = await server.StandardOutput.ReadLineAsync(timeout.Token)) is not null && !line.Contains("Now listening on:", StringComparison.Ordinal))
            {
            }

            Assert.NotNull(line);
            using var http = new HttpClient { BaseAddress = new Uri(issuer) };
            using var request = new HttpRequestMessage(HttpMethod.Get, "connect/userinfo") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", personal) } };
            using var userinfo = await http.SendAsync(request);
            var body = await userinfo.Content.ReadAsStringAsync();
            Assert.True(userinfo.StatusCode == HttpStatusCode.OK, body);
            Assert.Equal("alice", JsonDocument.Parse(body).RootElement.GetProperty("preferred_username").GetString());

            // An API validates a machine token from the published keys alone.
            var keys = new JsonWebKeySet(await http.GetStringAsync(".well-known/jwks"));
            var validated = await new JsonWebTokenHandler().ValidateTokenAsync(machine, new TokenValidationParameters
            {
                ValidIssuer = issuer,
                ValidAudience = "demo-api",
                IssuerSigningKeys = keys.GetSigningKeys(),
                ValidTypes = ["at+jwt"],
            });
            Assert.True(validated.IsValid, validated.Exception?.Message);
            Assert.Equal("acme", validated.Claims["tenant"]);
            Assert.InRange(((JsonWebToken)validated.SecurityToken).ValidTo - DateTime.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }
}
