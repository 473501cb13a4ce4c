using IdentityServer.Keys;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static IdentityServer.Tests.Keys.Rotation;

namespace IdentityServer.Tests.Keys;

/// <summary>Two instances on one real PostgreSQL: one active key between them, one rotation per period, and each picks up the other's change.</summary>
public sealed class KeyRotationPostgresTests(PostgresCluster postgres) : IClassFixture<PostgresCluster>
{
    private static ServerFactory Instance(string connectionString, string keys)
    {
        var server = new ServerFactory { Folder = keys };
        server.Settings["IdentityServer:Database:Provider"] = "Postgres";
        server.Settings["IdentityServer:Database:ConnectionString"] = connectionString;
        server.CreateClient().Dispose();
        return server;
    }

    [PostgresFact]
    public async Task TwoInstancesAgreeOnTheActiveKeyAndRotateOnce()
    {
        var database = await postgres.CreateDatabaseAsync("keys");
        var keys = ServerFactory.NewFolder();
        try
        {
            await using var a = Instance(database, keys);
            await using var b = Instance(database, keys);
            var k1 = Kid(await MachineTokenAsync(a));
            Assert.Equal(k1, Kid(await MachineTokenAsync(b)));
            Assert.Equal([k1], await JwksKidsAsync(b));

            // Both schedulers fire when a successor is due: the lease lets exactly one of them create it.
            var due = TimeSpan.FromDays(90 - 14);
            a.Time.Advance(due);
            b.Time.Advance(due);
            var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => RunJobAsync(i % 2 == 0 ? a : b)));
            var k2 = Assert.Single(Assert.Single(runs, r => r is { Count: > 0 })!).Kid;

            // The other instance publishes k2 within a minute, without a restart.
            a.Time.Advance(KeyRing.MaxStaleness);
            b.Time.Advance(KeyRing.MaxStaleness);
            Assert.Equal([k1, k2], await JwksKidsAsync(a));
            Assert.Equal([k1, k2], await JwksKidsAsync(b));

            // An immediate rotation on one instance: the other signs with the new key a minute later.
            var k3 = (await RotateAsync(a, immediately: true)).Single(c => c.What.Contains("active", StringComparison.Ordinal)).Kid;
            Assert.Equal(k3, Kid(await MachineTokenAsync(a)));
            b.Time.Advance(KeyRing.MaxStaleness);
            Assert.Equal(k3, Kid(await MachineTokenAsync(b)));
            Assert.Equal(await JwksKidsAsync(a), await JwksKidsAsync(b));
        }
        finally
        {
            ServerFactory.DeleteFolder(keys);
        }
    }
}
