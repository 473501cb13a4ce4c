using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static IdentityServer.Tests.BackchannelLogout.LogoutFlows;

namespace IdentityServer.Tests.BackchannelLogout;

/// <summary>Two instances on one real PostgreSQL queue to and drain the same outbox: every notification leaves once.</summary>
public sealed class BackchannelLogoutPostgresTests(PostgresCluster postgres) : IClassFixture<PostgresCluster>
{
    [PostgresFact]
    public async Task TwoInstancesDrainingTogetherSendEachNotificationOnce()
    {
        var database = await postgres.CreateDatabaseAsync("bcl");
        var keys = ServerFactory.NewFolder();
        var receiver = new LogoutReceiver();
        await using var a = Instance(receiver, database, keys);
        await using var b = Instance(receiver, database, keys);
        using (var browser = a.CreateBrowser())
        {
            await SignInToAsync(browser, One);
            await SignOutAsync(browser);
        }

        await using (var scope = a.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            var now = a.Time.GetUtcNow().UtcTicks;
            db.BackchannelLogoutNotices.AddRange(Enumerable.Range(0, 120).Select(i => new BackchannelLogoutNotice
            {
                ClientId = i % 2 == 0 ? One : Two, Uri = i % 2 == 0 ? OneUri : TwoUri, Subject = "someone", SessionId = $"sid-{i}", CreatedAt = now, NextAttemptAt = now,
            }));
            await db.SaveChangesAsync();
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => DrainAsync(i % 2 == 0 ? a : b)));

        Assert.Equal(121, results.Sum(r => r.Delivered));
        Assert.Equal(121, receiver.Requests.Count);
        Assert.Equal(121, receiver.Requests.Select(r => OAuth.JwtPayload(r.Form["logout_token"])["sid"].GetString()).Distinct().Count());
        await LogoutReceiver.ValidateAsync(b.CreateClient(), receiver.Requests.First().Form["logout_token"], receiver.Requests.First().Uri.AbsoluteUri == OneUri ? One : Two);
        ServerFactory.DeleteFolder(keys);
    }

    private static ServerFactory Instance(LogoutReceiver receiver, string connectionString, string keys)
    {
        var server = NewServer(receiver, keys);
        server.Settings["IdentityServer:Database:Provider"] = "Postgres";
        server.Settings["IdentityServer:Database:ConnectionString"] = connectionString;
        server.Settings["IdentityServer:BackchannelLogout:BatchSize"] = "10";
        server.CreateClient().Dispose();
        return server;
    }
}
