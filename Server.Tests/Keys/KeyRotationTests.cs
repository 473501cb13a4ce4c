using System.Net;
using System.Security.Cryptography;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using static IdentityServer.Tests.Keys.Rotation;

namespace IdentityServer.Tests.Keys;

/// <summary>Signing keys announced, active, retired and deleted on a fake clock, checked by an independent JwtBearer API.</summary>
public sealed class KeyRotationTests
{
    private static readonly TimeSpan Propagation = TimeSpan.FromDays(14);
    private static readonly TimeSpan Period = TimeSpan.FromDays(90);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(14);

    [Fact]
    public async Task AKeyIsAnnouncedBeforeItSignsAndRetiredOnlyAfterRetention()
    {
        using var server = new ServerFactory();
        await using var api = await JwtApi.StartAsync(server);
        var start = server.Time.GetUtcNow();
        var first = await MachineTokenAsync(server);
        var k1 = Kid(first);
        Assert.Equal([k1], await JwksKidsAsync(server));
        Assert.Equal(HttpStatusCode.OK, await api.CallAsync(first));

        // Not due yet: the job changes nothing.
        server.Time.Advance(Period - Propagation - TimeSpan.FromDays(1));
        Assert.Empty((await RunJobAsync(server))!);

        // A propagation period before the end of k1's period, k2 is announced: in the JWKS, signing nothing.
        server.Time.Advance(TimeSpan.FromDays(1));
        var announced = Assert.Single((await RunJobAsync(server))!);
        var k2 = announced.Kid;
        Assert.Equal([k1, k2], await JwksKidsAsync(server));
        Assert.Equal(k1, Kid(await MachineTokenAsync(server)));

        // Five minutes before the switch k1 still signs.
        server.Time.SetUtcNow(start + Period - TimeSpan.FromMinutes(5));
        var beforeSwitch = await MachineTokenAsync(server);
        Assert.Equal(k1, Kid(beforeSwitch));

        // An API that fetched the JWKS during propagation already knows k2 when the first token carries it.
        await using var refreshed = await JwtApi.StartAsync(server);
        Assert.Equal(HttpStatusCode.OK, await refreshed.CallAsync(beforeSwitch));
        server.Time.SetUtcNow(start + Period + TimeSpan.FromMinutes(1));
        var afterSwitch = await MachineTokenAsync(server);
        Assert.Equal(k2, Kid(afterSwitch));
        Assert.Equal(HttpStatusCode.OK, await refreshed.CallAsync(afterSwitch));
        Assert.Equal(1, refreshed.JwksFetches);

        // The token k1 signed before the switch still validates after it: k1 stays published while retired.
        Assert.Equal(HttpStatusCode.OK, await api.CallAsync(beforeSwitch));
        Assert.Equal([k2, k1], await JwksKidsAsync(server));

        server.Time.SetUtcNow(start + Period + Retention - TimeSpan.FromMinutes(1));
        Assert.Contains(k1, await JwksKidsAsync(server));

        // Past the retention period k1 leaves the JWKS, and the next job run deletes its row.
        server.Time.SetUtcNow(start + Period + Retention + TimeSpan.FromMinutes(1));
        Assert.Equal([k2], await JwksKidsAsync(server));
        Assert.Contains(await RunJobAsync(server) ?? [], c => c.Kid == k1 && c.What.Contains("deleted", StringComparison.Ordinal));
        await using var scope = server.Services.CreateAsyncScope();
        Assert.Equal([k2], await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().SigningKeys.Select(k => k.Kid).ToListAsync());
    }

    [Fact]
    public async Task ATokenSignedBeforeARotationValidatesAfterIt()
    {
        using var server = new ServerFactory();
        await using var api = await JwtApi.StartAsync(server);
        var before = await MachineTokenAsync(server);
        Assert.Equal(HttpStatusCode.OK, await api.CallAsync(before));

        var rotated = await RotateAsync(server, immediately: true);
        var after = await MachineTokenAsync(server);
        Assert.NotEqual(Kid(before), Kid(after));
        Assert.Contains(rotated, c => c.Kid == Kid(after));

        // An API that cached the JWKS before an immediate rotation refuses the new kid once, and fetches the JWKS
        // again (which is why a scheduled rotation announces keys first); an API that fetched it since accepts both.
        Assert.Equal(HttpStatusCode.Unauthorized, await api.CallAsync(after));
        Assert.Equal(HttpStatusCode.OK, await api.CallAsync(before));
        await using var later = await JwtApi.StartAsync(server);
        Assert.Equal(HttpStatusCode.OK, await later.CallAsync(after));
        Assert.Equal(HttpStatusCode.OK, await later.CallAsync(before));

        // The server's own introspection agrees.
        using var http = server.CreateClient();
        Assert.True((await OAuth.IntrospectAsync(http, before)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task AKeyFileIsImportedAsTheFirstActiveKeySoEarlierTokensKeepValidating()
    {
        var folder = ServerFactory.NewFolder();
        try
        {
            string token;
            await using (var files = new ServerFactory { Folder = folder })
            {
                // Before rotation: the key files sign (generated in Development).
                files.Settings["IdentityServer:Keys:Rotation:Enabled"] = "false";
                token = await MachineTokenAsync(files);
            }

            using var pem = RSA.Create();
            pem.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(folder, "signing-rsa.pem")));
            var thumbprint = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromSecurityKey(new RsaSecurityKey(pem)).ComputeJwkThumbprint());
            Assert.Equal(thumbprint, Kid(token));

            // Rotation on: the same key, now a row, signs and validates.
            await using var rotating = new ServerFactory { Folder = folder };
            await using var api = await JwtApi.StartAsync(rotating);
            Assert.Equal(HttpStatusCode.OK, await api.CallAsync(token));
            Assert.Equal(thumbprint, Kid(await MachineTokenAsync(rotating)));
            await using var scope = rotating.Services.CreateAsyncScope();
            var row = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().SigningKeys.SingleAsync();
            Assert.Equal(("imported", thumbprint), (row.Origin, row.Kid));
            Assert.DoesNotContain("PRIVATE", row.ProtectedKey, StringComparison.Ordinal);
        }
        finally
        {
            ServerFactory.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task Es256AndRs256KeysRotateTogether()
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:Keys:AccessTokenSigningAlgorithm"] = "ES256";
        using var browser = server.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser);
        var access = tokens.GetProperty("access_token").GetString()!;
        var id = tokens.GetProperty("id_token").GetString()!;
        Assert.Equal(("ES256", "RS256"), (OAuth.JwtHeader(access)["alg"].GetString(), OAuth.JwtHeader(id)["alg"].GetString()));
        Assert.Equal([Kid(id), Kid(access)], await JwksKidsAsync(server));

        var rotated = await RotateAsync(server, immediately: true);
        Assert.Equal(["RS256", "ES256"], rotated.Select(c => c.Algorithm));
        var again = await OAuth.SignInSpaAsync(browser);
        Assert.Equal(rotated[0].Kid, Kid(again.GetProperty("id_token").GetString()!));
        Assert.Equal(rotated[1].Kid, Kid(again.GetProperty("access_token").GetString()!));
        Assert.Equal([rotated[0].Kid, rotated[1].Kid, Kid(id), Kid(access)], await JwksKidsAsync(server));
    }

    [Fact]
    public async Task ARotationOnDemandAnnouncesAKeyThatSignsAfterThePropagationPeriod()
    {
        using var server = new ServerFactory();
        var k1 = Kid(await MachineTokenAsync(server));
        var announced = Assert.Single(await RotateAsync(server, immediately: false));
        Assert.Contains("announced", announced.What, StringComparison.Ordinal);
        Assert.Empty(await RotateAsync(server, immediately: false));
        Assert.Equal(k1, Kid(await MachineTokenAsync(server)));
        Assert.Equal([k1, announced.Kid], await JwksKidsAsync(server));

        server.Time.Advance(Propagation);
        Assert.Equal(announced.Kid, Kid(await MachineTokenAsync(server)));
    }
}
