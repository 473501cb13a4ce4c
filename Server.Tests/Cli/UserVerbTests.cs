using System.Text.Json;
using IdentityServer.Data;
using IdentityServer.Data.CompiledModels.Sqlite;
using IdentityServer.Sessions;
using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Tests.Cli;

/// <summary><c>users …</c> and <c>sessions …</c> run as a process against a fresh SQLite database.</summary>
public sealed class UserVerbTests
{
    [Fact]
    public async Task AnAccountIsAddedLockedUnlockedResetAndRemoved()
    {
        using var cli = new CliProcess();

        (await cli.RunWithInputAsync("a long enough password 1234", "users", "add", "bob", "--email", "bob@example.com", "--email-confirmed", "--password-stdin")).Succeeded();
        Assert.Contains("The user name 'bob' is taken.", (await cli.RunAsync("users", "add", "bob")).FailedWithOneLine(), StringComparison.Ordinal);

        Assert.Contains("Locked user 'bob'", (await cli.RunAsync("users", "lock", "bob")).Succeeded().Output, StringComparison.Ordinal);
        using (var shown = JsonDocument.Parse((await cli.RunAsync("users", "show", "bob", "--json")).Succeeded().Output))
        {
            Assert.True(shown.RootElement.GetProperty("lockedOut").GetBoolean());
            Assert.True(shown.RootElement.GetProperty("hasPassword").GetBoolean());
        }

        (await cli.RunAsync("users", "unlock", "bob")).Succeeded();
        Assert.Contains("reset email sent", (await cli.RunAsync("users", "reset-password", "bob")).Succeeded().Output, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(cli.MailFolder, "*.eml"));
        using (var listed = JsonDocument.Parse((await cli.RunAsync("users", "list", "--json")).Succeeded().Output))
        {
            var bob = listed.RootElement.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == "bob");
            Assert.False(bob.GetProperty("lockedOut").GetBoolean());
            Assert.False(bob.GetProperty("hasPassword").GetBoolean());
        }

        Assert.Contains("IdentityServer:Users", (await cli.RunAsync("users", "remove", "alice")).FailedWithOneLine(), StringComparison.Ordinal);
        (await cli.RunAsync("users", "remove", "bob")).Succeeded();
        Assert.Equal("No user named 'bob'.", (await cli.RunAsync("users", "lock", "bob")).FailedWithOneLine());
    }

    [Fact]
    public async Task SessionsAreListedAndEndedOneOrAllOfAPerson()
    {
        using var cli = new CliProcess();
        using var added = JsonDocument.Parse((await cli.RunAsync("users", "add", "carol", "--json")).Succeeded().Output);
        var userId = added.RootElement.GetProperty("id").GetString()!;
        var handles = await SignInTwiceAsync(cli.DatabaseFile, userId);

        var list = (await cli.RunAsync("sessions", "list", "--user", "carol")).Succeeded();
        Assert.All(handles, h => Assert.Contains(h, list.Output, StringComparison.Ordinal));
        using (var json = JsonDocument.Parse((await cli.RunAsync("sessions", "list", "--json")).Succeeded().Output))
        {
            Assert.Equal(2, json.RootElement.GetArrayLength());
        }

        Assert.Contains("Ended 1 session(s).", (await cli.RunAsync("sessions", "end", handles[0])).Succeeded().Output, StringComparison.Ordinal);
        Assert.Contains(handles[0], (await cli.RunAsync("sessions", "end", handles[0])).FailedWithOneLine(), StringComparison.Ordinal);
        Assert.Contains("Ended 1 session(s).", (await cli.RunAsync("sessions", "end", "--user", "carol")).Succeeded().Output, StringComparison.Ordinal);
        Assert.Equal("[]", (await cli.RunAsync("sessions", "list", "--json")).Succeeded().Output.Trim());
    }

    /// <summary>Two live session rows, as a sign-in writes them; returns their handles.</summary>
    private static async Task<string[]> SignInTwiceAsync(string databaseFile, string userId)
    {
        var options = new DbContextOptionsBuilder<ApplicationDbContext>().UseSqlite($"Data Source={databaseFile}")
            .UseModel(ApplicationDbContextModel.Instance).UseOpenIddict().Options;
        await using var db = new ApplicationDbContext(options);
        var now = DateTimeOffset.UtcNow;
        var sessions = Enumerable.Range(0, 2).Select(i => new UserSession
        {
            Id = SessionIds.Hash(SessionIds.NewId()),
            UserId = userId,
            Sid = SessionIds.NewSid(),
            CreatedAt = now,
            AuthenticatedAt = now,
            LastSeenAt = now.AddSeconds(-i),
            ExpiresAt = now.AddHours(1),
            AbsoluteExpiresAt = now.AddHours(8),
            UserAgent = "test",
        }).ToList();
        db.Sessions.AddRange(sessions);
        await db.SaveChangesAsync();
        return [.. sessions.Select(s => SessionIds.Handle(s.Id))];
    }
}
