using System.Buffers.Binary;
using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Accounts;

/// <summary>
/// <c>Accounts:PasswordHashing</c>: Fast hashes with one PBKDF2 iteration in Development, is refused anywhere
/// else, and what it stored still verifies (and is strengthened) once the server is back to Standard.
/// </summary>
public sealed class PasswordHashingTests
{
    private const string Password = "walnut meridian kettle 48";
    private const int StandardIterations = 100_000;

    /// <summary>Real hashing (no test shortcut), self-registered accounts signed in at once.</summary>
    private static ServerFactory Server(string hashing, string? folder = null)
    {
        var server = folder is null ? new ServerFactory { CheapHashing = false } : new ServerFactory { CheapHashing = false, Folder = folder };
        server.Settings["IdentityServer:Accounts:PasswordHashing"] = hashing;
        server.Settings["IdentityServer:Accounts:RequireConfirmedEmail"] = "false";
        return server;
    }

    /// <summary>The iteration count Identity's V3 format stores: a format byte, the PRF, then the count (big-endian).</summary>
    private static async Task<int> IterationsAsync(ServerFactory server, string userName)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync(userName);
        var hash = Convert.FromBase64String(user!.PasswordHash!);
        Assert.Equal(0x01, hash[0]);
        return BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(5, 4));
    }

    [Fact]
    public async Task FastHashingInDevelopmentStoresOneIterationAndPeopleRegisterAndSignIn()
    {
        await using var server = Server("Fast");

        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(server.CreateBrowser(), "alice", ServerFactory.AlicePassword)).StatusCode);
        Assert.Equal(1, await IterationsAsync(server, "alice"));

        Assert.Equal(HttpStatusCode.Redirect, (await People.RegisterAsync(server.CreateBrowser(), "hana", "hana@example.com", Password)).StatusCode);
        Assert.Equal(1, await IterationsAsync(server, "hana"));
        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(server.CreateBrowser(), "hana", Password)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await People.SignInAsync(server.CreateBrowser(), "hana", Password + "x")).StatusCode);
    }

    [Fact]
    public async Task StandardHashingKeepsIdentitysWorkFactor()
    {
        await using var server = Server("Standard");

        Assert.Equal(StandardIterations, await IterationsAsync(server, "alice"));
    }

    [Fact]
    public async Task AHashMadeUnderFastSignsInUnderStandardAndIsMadeAgainWithTheFullCount()
    {
        var folder = ServerFactory.NewFolder();
        try
        {
            await using (var fast = Server("Fast", folder))
            {
                await People.RegisterAsync(fast.CreateBrowser(), "hana", "hana@example.com", Password);
                Assert.Equal(1, await IterationsAsync(fast, "hana"));
            }

            await using var standard = Server("Standard", folder);
            Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(standard.CreateBrowser(), "hana", Password)).StatusCode);
            Assert.Equal(StandardIterations, await IterationsAsync(standard, "hana"));
            Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(standard.CreateBrowser(), "hana", Password)).StatusCode);
        }
        finally
        {
            ServerFactory.DeleteFolder(folder);
        }
    }

    [Fact]
    public void FastHashingOutsideDevelopmentStopsStartUpAndSaysWhy()
    {
        using var server = Server("Fast");
        server.Settings["IdentityServer:Issuer"] = "http://id.example.test/";
        server.Settings["IdentityServer:RequireHttps"] = "false";
        server.Settings["IdentityServer:Keys:GenerateMissing"] = "true";
        using var production = server.WithWebHostBuilder(b => b.UseEnvironment("Production"));

        var error = Assert.ThrowsAny<Exception>(() => production.CreateClient()).Message;
        Assert.Contains("IdentityServer:Accounts:PasswordHashing: 'Fast' is for Development only", error, StringComparison.Ordinal);
        Assert.DoesNotContain("IdentityServer:Issuer", error, StringComparison.Ordinal);
    }
}
