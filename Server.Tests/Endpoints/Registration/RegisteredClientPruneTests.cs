using System.Net;
using IdentityServer.Jobs;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace IdentityServer.Tests.Endpoints.Registration;

/// <summary>The prune job removes registered clients that never completed a sign-in within Registration:UnusedClientLifetime (fake clock).</summary>
public sealed class RegisteredClientPruneTests
{
    private static ServerFactory NewServer()
    {
        var server = new ServerFactory();
        Registrations.Enable(server);
        server.Settings["IdentityServer:Pruning:Enabled"] = "false";
        server.Settings["IdentityServer:Registration:UnusedClientLifetime"] = "1.00:00:00";
        return server;
    }

    private static async Task<bool> ExistsAsync(ServerFactory server, string clientId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(clientId) is not null;
    }

    private static Task<PruneResult?> PruneAsync(ServerFactory server) => server.Services.GetRequiredService<PruneJob>().RunAsync(CancellationToken.None);

    [Fact]
    public async Task AnUnusedClientGoesAfterItsLifetimeAndAClientThatSignedSomeoneInStays()
    {
        await using var server = NewServer();
        using var http = server.CreateClient();
        var unused = (await Registrations.RegisterAsync(http)).GetProperty("client_id").GetString()!;
        var used = (await Registrations.RegisterAsync(http)).GetProperty("client_id").GetString()!;
        using var browser = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.OK, (await Registrations.SignInAsync(browser, used)).StatusCode);

        // Within the lifetime nothing goes.
        server.Time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, (await PruneAsync(server))!.Clients);
        Assert.True(await ExistsAsync(server, unused));

        server.Time.Advance(TimeSpan.FromHours(2));
        var result = await PruneAsync(server);

        Assert.Equal(1, result!.Clients);
        Assert.False(await ExistsAsync(server, unused));
        Assert.True(await ExistsAsync(server, used));
        Assert.True(await ExistsAsync(server, OAuth.Spa));
    }

    [Fact]
    public async Task AClientThatSignedSomeoneInStaysOnceItsGrantsAreRevokedAndPruned()
    {
        await using var server = NewServer();
        server.Settings["IdentityServer:Pruning:Retention"] = "00:00:00";
        using var http = server.CreateClient();
        var used = (await Registrations.RegisterAsync(http)).GetProperty("client_id").GetString()!;
        using var browser = server.CreateBrowser();
        var tokens = await OAuth.JsonAsync(await Registrations.SignInAsync(browser, used));

        // The first run sees the sign-in; then alice withdraws the app's access and every row of it is pruned.
        await PruneAsync(server);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var authorizations = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
            var application = await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(used);
            var id = await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().GetIdAsync(application!);
            await foreach (var authorization in authorizations.FindByApplicationIdAsync(id!))
            {
                await authorizations.TryRevokeAsync(authorization);
            }
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(used, tokens.GetProperty("refresh_token").GetString()!))).StatusCode);
        server.Time.Advance(TimeSpan.FromDays(30));
        var result = await PruneAsync(server);

        Assert.True(result!.Authorizations > 0);

        // The next run finds the client without a single row: only the mark of its sign-in keeps it.
        Assert.Equal(0, (await PruneAsync(server))!.Clients);
        Assert.True(await ExistsAsync(server, used));
    }
}
