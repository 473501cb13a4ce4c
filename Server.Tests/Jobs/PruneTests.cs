using System.Data.Common;
using System.Diagnostics;
using IdentityServer.Data;
using IdentityServer.Jobs;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Tests.Jobs;

/// <summary>The prune job against rows laid out around the retention threshold (fake clock).</summary>
public sealed class PruneTests
{
    private static readonly DateTimeOffset RealNow = DateTimeOffset.UtcNow;

    private sealed record Layout(Dictionary<string, string> Tokens, Dictionary<string, string> Authorizations, Dictionary<string, string> Sessions);

    private static async Task<Layout> LayOutAsync(ServerFactory server)
    {
        server.CreateClient().Dispose();
        await using var scope = server.Services.CreateAsyncScope();
        var apps = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var authorizationManager = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
        var tokenManager = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var appId = (await apps.GetIdAsync((await apps.FindByClientIdAsync("spa"))!))!;
        var now = server.Time.GetUtcNow();
        var old = now.AddDays(-10);

        async Task<string> Authorization(string status, string type, DateTimeOffset created)
        {
            var descriptor = new OpenIddictAuthorizationDescriptor { ApplicationId = appId, Subject = "someone", Status = status, Type = type, CreationDate = created };
            return (await authorizationManager.GetIdAsync(await authorizationManager.CreateAsync(descriptor)))!;
        }

        async Task<string> Token(string status, DateTimeOffset created, DateTimeOffset expires, string? authorizationId = null)
        {
            var descriptor = new OpenIddictTokenDescriptor
            {
                ApplicationId = appId, AuthorizationId = authorizationId, Subject = "someone", Status = status,
                Type = TokenTypeHints.RefreshToken, CreationDate = created, ExpirationDate = expires,
            };
            return (await tokenManager.GetIdAsync(await tokenManager.CreateAsync(descriptor)))!;
        }

        var authorizations = new Dictionary<string, string>
        {
            ["consent"] = await Authorization(Statuses.Valid, AuthorizationTypes.Permanent, now.AddDays(-30)),
            ["adhocEmpty"] = await Authorization(Statuses.Valid, AuthorizationTypes.AdHoc, old),
            ["adhocInUse"] = await Authorization(Statuses.Valid, AuthorizationTypes.AdHoc, old),
            ["revoked"] = await Authorization(Statuses.Revoked, AuthorizationTypes.Permanent, old),
            ["recentRevoked"] = await Authorization(Statuses.Revoked, AuthorizationTypes.Permanent, now.AddDays(-1)),
        };
        var tokens = new Dictionary<string, string>
        {
            ["expired"] = await Token(Statuses.Valid, old, RealNow.AddDays(-3)),
            ["revoked"] = await Token(Statuses.Revoked, old, RealNow.AddDays(5)),
            ["redeemed"] = await Token(Statuses.Redeemed, old, RealNow.AddDays(5)),
            ["recentRedeemed"] = await Token(Statuses.Redeemed, now.AddDays(-2), RealNow.AddDays(5)),
            ["valid"] = await Token(Statuses.Valid, old, RealNow.AddDays(5), authorizations["adhocInUse"]),
        };

        db.Sessions.AddRange(
            new UserSession { Id = "idle", UserId = "someone", CreatedAt = old, LastSeenAt = old, ExpiresAt = now.AddHours(-1), AbsoluteExpiresAt = now.AddDays(1) },
            new UserSession { Id = "ancient", UserId = "someone", CreatedAt = old, LastSeenAt = now, ExpiresAt = now.AddHours(1), AbsoluteExpiresAt = now.AddMinutes(-1) },
            new UserSession { Id = "active", UserId = "someone", CreatedAt = now, LastSeenAt = now, ExpiresAt = now.AddHours(1), AbsoluteExpiresAt = now.AddDays(1) });
        await db.SaveChangesAsync();
        return new Layout(tokens, authorizations, new() { ["idle"] = "idle", ["ancient"] = "ancient", ["active"] = "active" });
    }

    private static async Task<(HashSet<string> Tokens, HashSet<string> Authorizations, HashSet<string> Sessions)> RemainingAsync(ServerFactory server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        return (
            (await db.Set<OpenIddictEntityFrameworkCoreToken>().Select(t => t.Id!).ToListAsync()).ToHashSet(),
            (await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().Select(a => a.Id!).ToListAsync()).ToHashSet(),
            (await db.Sessions.Select(s => s.Id).ToListAsync()).ToHashSet());
    }

    private static ServerFactory NewServer()
    {
        var server = new ServerFactory();
        server.Settings["IdentityServer:Pruning:Enabled"] = "false";
        server.Settings["IdentityServer:Pruning:RetryDelay"] = "00:00:00";
        return server;
    }

    [Fact]
    public async Task FinishedRowsPastRetentionGoAndEverythingElseStays()
    {
        using var server = NewServer();
        var layout = await LayOutAsync(server);
        var result = await server.Services.GetRequiredService<PruneJob>().RunAsync(CancellationToken.None);

        Assert.NotNull(result);
        var (tokens, authorizations, sessions) = await RemainingAsync(server);
        Assert.DoesNotContain(layout.Tokens["expired"], tokens);
        Assert.DoesNotContain(layout.Tokens["revoked"], tokens);
        Assert.DoesNotContain(layout.Tokens["redeemed"], tokens);
        Assert.Contains(layout.Tokens["recentRedeemed"], tokens);
        Assert.Contains(layout.Tokens["valid"], tokens);

        Assert.Contains(layout.Authorizations["consent"], authorizations);
        Assert.Contains(layout.Authorizations["adhocInUse"], authorizations);
        Assert.Contains(layout.Authorizations["recentRevoked"], authorizations);
        Assert.DoesNotContain(layout.Authorizations["adhocEmpty"], authorizations);
        Assert.DoesNotContain(layout.Authorizations["revoked"], authorizations);

        Assert.Equal(["active"], sessions.Order());
        Assert.Equal(3, result.Tokens);
        Assert.Equal(2, result.Sessions);
    }

    [Fact]
    public async Task DefaultRetentionKeepsARotatedRefreshTokenForItsWholeLifetime()
    {
        using var server = NewServer();
        using var browser = server.CreateBrowser();
        var original = (await OAuth.SignInSpaAsync(browser)).GetProperty("refresh_token").GetString()!;
        var refresh = Grants.RefreshToken(OAuth.Spa, original);
        var rotated = (await OAuth.JsonAsync(await OAuth.TokenAsync(browser.Http, refresh))).GetProperty("refresh_token").GetString()!;

        server.Time.Advance(TimeSpan.FromDays(6));
        await server.Services.GetRequiredService<PruneJob>().RunAsync(CancellationToken.None);

        // The redeemed token is still known, so its reuse is detected and kills the newest one too.
        var reuse = await OAuth.TokenAsync(browser.Http, refresh);
        Assert.Equal("invalid_grant", (await OAuth.JsonAsync(reuse)).GetProperty("error").GetString());
        var newest = await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(OAuth.Spa, rotated));
        Assert.Equal("invalid_grant", (await OAuth.JsonAsync(newest)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task AFailingRunIsRetriedABoundedNumberOfTimes()
    {
        using var server = NewServer();
        server.Settings["IdentityServer:Pruning:MaxAttempts"] = "3";
        server.CreateClient().Dispose();
        var failures = new FailingCommands(2);
        using var subscription = failures.Attach(server.DatabaseFile);

        var result = await server.Services.GetRequiredService<PruneJob>().RunAsync(CancellationToken.None);
        Assert.NotNull(result);
        Assert.Equal(2, failures.Thrown);

        var always = new FailingCommands(int.MaxValue);
        using var second = always.Attach(server.DatabaseFile);
        Assert.Null(await server.Services.GetRequiredService<PruneJob>().RunAsync(CancellationToken.None));
        Assert.Equal(3, always.Thrown);
    }

    [Fact]
    public async Task TheJobHonoursCancellation()
    {
        using var server = NewServer();
        var layout = await LayOutAsync(server);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.Services.GetRequiredService<PruneJob>().RunAsync(cancelled.Token));
        Assert.Contains(layout.Tokens["expired"], (await RemainingAsync(server)).Tokens);
    }

    [Fact]
    public async Task PruneQueriesUseTheDateIndexes()
    {
        using var server = NewServer();
        await LayOutAsync(server);
        var commands = new CapturedCommands();
        using (commands.Attach(server.DatabaseFile))
        {
            await server.Services.GetRequiredService<PruneJob>().RunAsync(CancellationToken.None);
        }

        var tokenQuery = commands.Sql.First(s => s.Contains("FROM \"OpenIddictTokens\"", StringComparison.Ordinal) && s.Contains("CreationDate", StringComparison.Ordinal));
        var authorizationQuery = commands.Sql.First(s => s.Contains("FROM \"OpenIddictAuthorizations\"", StringComparison.Ordinal) && s.Contains("CreationDate", StringComparison.Ordinal));
        await using var connection = new SqliteConnection($"Data Source={server.DatabaseFile}");
        await connection.OpenAsync();
        foreach (var (sql, index) in new[] { (tokenQuery, "IX_OpenIddictTokens_CreationDate"), (authorizationQuery, "IX_OpenIddictAuthorizations_CreationDate") })
        {
            var plan = await PlanAsync(connection, sql, commands.Parameters[sql]);
            Assert.True(plan.Contains(index, StringComparison.Ordinal), sql + "\n---\n" + plan);
            Assert.DoesNotContain("SCAN \"OpenIddictTokens\"\n", plan + "\n", StringComparison.Ordinal);
        }
    }

    private static async Task<string> PlanAsync(SqliteConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(3));
        }

        return string.Join("\n", rows);
    }

    /// <summary>Watches EF Core's commands on one database file through its diagnostic events.</summary>
    private class CommandObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        private string file = "";
        private readonly List<IDisposable> subscriptions = [];

        public IDisposable Attach(string databaseFile)
        {
            file = databaseFile;
            subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
            return new Detach(subscriptions);
        }

        protected virtual void OnCommand(DbCommand command)
        {
        }

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                subscriptions.Add(value.Subscribe(this));
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData data
                && data.Command.Connection?.DataSource == file)
            {
                OnCommand(data.Command);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        private sealed class Detach(List<IDisposable> subscriptions) : IDisposable
        {
            public void Dispose() => subscriptions.ForEach(s => s.Dispose());
        }
    }

    private sealed class CapturedCommands : CommandObserver
    {
        public List<string> Sql { get; } = [];

        public Dictionary<string, IReadOnlyList<(string, object?)>> Parameters { get; } = new(StringComparer.Ordinal);

        protected override void OnCommand(DbCommand command)
        {
            lock (Sql)
            {
                Sql.Add(command.CommandText);
                Parameters[command.CommandText] = command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList();
            }
        }
    }

    /// <summary>Makes the first N prune commands fail, as a locked or unreachable database would.</summary>
    private sealed class FailingCommands(int failures) : CommandObserver
    {
        public int Thrown { get; private set; }

        protected override void OnCommand(DbCommand command)
        {
            if (command.CommandText.Contains("FROM \"UserSessions\"", StringComparison.Ordinal) && Thrown < failures)
            {
                Thrown++;
                throw new InvalidOperationException("simulated database failure");
            }
        }
    }
}
