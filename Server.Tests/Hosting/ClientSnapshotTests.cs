using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Application = OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication;

namespace IdentityServer.Tests.Hosting;

/// <summary>
/// Client rows are shared between requests for a few seconds. A change made through this server is seen
/// by the next request; a change made elsewhere (another instance) is seen once the snapshot expires.
/// </summary>
public sealed class ClientSnapshotTests
{
    private static readonly Dictionary<string, string> Grant = Grants.ClientCredentials("api");

    [Fact]
    public async Task AClientRemovedElsewhereStopsWorkingOnceTheSnapshotExpires()
    {
        using var server = new ServerFactory();
        using var http = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await OAuth.TokenAsync(http, Grant, (OAuth.Machine, OAuth.MachineSecret))).StatusCode);

        // Another instance deletes the row: this one does not hear of it.
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            Assert.Equal(1, await db.Set<Application>().Where(a => a.ClientId == OAuth.Machine).ExecuteDeleteAsync());
        }

        Assert.Equal(HttpStatusCode.OK, (await OAuth.TokenAsync(http, Grant, (OAuth.Machine, OAuth.MachineSecret))).StatusCode);

        server.Time.Advance(TimeSpan.FromSeconds(11));
        var gone = await OAuth.TokenAsync(http, Grant, (OAuth.Machine, OAuth.MachineSecret));
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
        Assert.Equal("invalid_client", (await OAuth.JsonAsync(gone)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task RequestsDoNotShareOneClientObject()
    {
        using var server = new ServerFactory();
        server.CreateClient().Dispose();
        await using var first = server.Services.CreateAsyncScope();
        await using var second = server.Services.CreateAsyncScope();
        var a = await first.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(OAuth.Machine);
        var b = await second.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(OAuth.Machine);
        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.NotSame(a, b);
    }
}
