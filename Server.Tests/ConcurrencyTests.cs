using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests;

/// <summary>SQLite under parallel writers: every request succeeds, none sees "database is locked".</summary>
public sealed class ConcurrencyTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task ParallelTokenRequestsAllSucceed()
    {
        using var http = server.CreateClient();
        var tasks = Enumerable.Range(0, 64).Select(async _ =>
        {
            var response = await OAuth.TokenAsync(http, new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "api" }, (OAuth.Machine, OAuth.MachineSecret));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });
        var results = await Task.WhenAll(tasks);
        Assert.All(results, r => Assert.True(r.StatusCode == HttpStatusCode.OK, r.Body));
    }
}
