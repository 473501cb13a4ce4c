using System.Diagnostics;
using System.Net;
using IdentityServer.Jobs;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Postgres;

/// <summary>Several stateless instances on one real PostgreSQL.</summary>
public sealed class PostgresTests(PostgresCluster postgres) : IClassFixture<PostgresCluster>
{
    private static ServerFactory Instance(string connectionString, string keys)
    {
        var server = new ServerFactory { Folder = keys };
        server.Settings["IdentityServer:Database:Provider"] = "Postgres";
        server.Settings["IdentityServer:Database:ConnectionString"] = connectionString;
        server.Settings["IdentityServer:Issuer"] = "http://127.0.0.1/";
        server.UseKestrel(0);
        server.StartServer();
        return server;
    }

    [PostgresFact]
    public async Task CodeFlowAlternatesBetweenTwoInstances()
    {
        var database = await postgres.CreateDatabaseAsync("flow");
        var keys = ServerFactory.NewFolder();
        await using var a = Instance(database, keys);
        await using var b = Instance(database, keys);
        using var alternating = new HttpClient(new AlternatingHandler(a.ClientOptions.BaseAddress, b.ClientOptions.BaseAddress)) { BaseAddress = a.ClientOptions.BaseAddress };
        using var browser = new Browser(alternating);

        // Sign in, consent, redeem, refresh, revoke: each request lands on the other instance.
        var tokens = await OAuth.SignInSpaAsync(browser);
        var refreshed = await OAuth.TokenAsync(alternating, Grants.RefreshToken(OAuth.Spa, tokens.GetProperty("refresh_token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var refresh = (await OAuth.JsonAsync(refreshed)).GetProperty("refresh_token").GetString()!;
        var revoke = await alternating.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = OAuth.Spa, ["token"] = refresh }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.False((await OAuth.IntrospectAsync(alternating, refresh)).GetProperty("active").GetBoolean());
        ServerFactory.DeleteFolder(keys);
    }

    [PostgresFact]
    public async Task TwoInstancesStartingTogetherOnAnEmptyDatabaseBothBecomeReady()
    {
        var database = await postgres.CreateDatabaseAsync("together");
        var keys = ServerFactory.NewFolder();
        var started = await Task.WhenAll(Task.Run(() => Instance(database, keys)), Task.Run(() => Instance(database, keys)));
        foreach (var server in started)
        {
            using var http = new HttpClient { BaseAddress = server.ClientOptions.BaseAddress };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Grants.MachineTokenAsync(http, scope: null)).StatusCode);
            await server.DisposeAsync();
        }

        ServerFactory.DeleteFolder(keys);
    }

    [PostgresFact]
    public async Task APruneFiringRunsOnExactlyOneOfTwoInstances()
    {
        var database = await postgres.CreateDatabaseAsync("prune");
        var keys = ServerFactory.NewFolder();
        await using var a = Instance(database, keys);
        await using var b = Instance(database, keys);
        var jobs = new[] { a, b }.Select(s => s.Services.GetRequiredService<PruneJob>());
        var results = await Task.WhenAll(jobs.Select(job => job.RunScheduledAsync(CancellationToken.None)));
        Assert.Single(results, r => r is not null);

        // The next period (the lease has run out) is again taken by exactly one.
        a.Time.Advance(TimeSpan.FromHours(1));
        b.Time.Advance(TimeSpan.FromHours(1));
        results = await Task.WhenAll(new[] { b, a }.Select(s => s.Services.GetRequiredService<PruneJob>().RunScheduledAsync(CancellationToken.None)));
        Assert.Single(results, r => r is not null);
        ServerFactory.DeleteFolder(keys);
    }

    [PostgresFact]
    public async Task RestartingPostgresGivesAtMostSome503sThenRecovers()
    {
        var database = await postgres.CreateDatabaseAsync("restart");
        var keys = ServerFactory.NewFolder();
        await using var server = Instance(database, keys);
        using var http = new HttpClient { BaseAddress = server.ClientOptions.BaseAddress };
        var form = Grants.ClientCredentials();
        async Task<HttpStatusCode> TokenAsync() => (await OAuth.TokenAsync(http, form, (OAuth.Machine, OAuth.MachineSecret))).StatusCode;

        Assert.Equal(HttpStatusCode.OK, await TokenAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        await postgres.StopAsync();
        var down = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        var clock = Stopwatch.StartNew();
        var during = await OAuth.TokenAsync(http, Grants.ClientCredentials(), ("machine-not-cached", "some-secret-value-x"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal("temporarily_unavailable", (await OAuth.JsonAsync(during)).GetProperty("error").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), clock.Elapsed.ToString());

        await postgres.StartAsync();
        var statuses = new List<HttpStatusCode>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && (statuses.Count == 0 || statuses[^1] != HttpStatusCode.OK))
        {
            statuses.Add(await TokenAsync());
        }

        Assert.Equal(HttpStatusCode.OK, statuses[^1]);
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));

        // A fast restart in the middle of a loop of requests: only 200s and 503s, then 200s again.
        var loop = Task.Run(async () =>
        {
            var seen = new List<HttpStatusCode>();
            for (var i = 0; i < 60; i++)
            {
                seen.Add(await TokenAsync());
            }

            return seen;
        });
        await postgres.RestartAsync();
        var seen = await loop;
        Assert.All(seen, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        ServerFactory.DeleteFolder(keys);
    }

    /// <summary>Sends each request to the next instance in turn, with one cookie jar, like a round-robin load balancer.</summary>
    private sealed class AlternatingHandler(Uri first, Uri second) : DelegatingHandler(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
    {
        private int next;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = next++ % 2 == 0 ? first : second;
            request.RequestUri = new Uri(target, request.RequestUri!.PathAndQuery);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
