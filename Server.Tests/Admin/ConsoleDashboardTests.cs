using System.Globalization;
using AngleSharp.Dom;
using IdentityServer.Audit;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Tests.Admin;

/// <summary>The dashboard's figures, on a server of its own so they are exact.</summary>
public sealed class ConsoleDashboardTests : IAsyncLifetime
{
    private readonly ServerFactory server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await server.DisposeAsync();

    private static int Figure(IDocument page, string id) => int.Parse(page.QuerySelector($"#{id} .figure")!.TextContent, CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheDashboardCountsUsersClientsLiveSessionsTokenRowsAndTodaysFailedSignIns()
    {
        using var person = server.CreateBrowser();
        await OAuth.SignInSpaAsync(person);
        using var http = server.CreateClient();
        await Grants.MachineTokenAsync(http);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            // One failure a day and a half ago, two now: only the two are in the last 24 hours.
            var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
            await trail.RecordAsync(new AuditRecord(AuditEventTypes.SignInFailed) { UserName = "old", Reason = "wrong_password" });
            server.Time.Advance(TimeSpan.FromHours(36));
            await trail.RecordAsync(new AuditRecord(AuditEventTypes.SignInFailed) { UserName = "mallory", Reason = "wrong_password" });
            await trail.RecordAsync(new AuditRecord(AuditEventTypes.SignInFailed) { UserName = "mallory", Reason = "unknown_user" });
        }

        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var page = await ConsoleAdmins.PageAsync(admin, "/admin");
            await using var scope = server.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            Assert.Equal(db.Users.Count(), Figure(page, "count-users"));
            Assert.Equal(db.Set<OpenIddictEntityFrameworkCoreApplication>().Count(), Figure(page, "count-clients"));

            // The person's session went idle over the 36 hours; the admin's is live.
            Assert.Equal(1, Figure(page, "count-sessions"));

            // The tokens were issued 36 hours ago: none in the last 24 hours, and the machine token never had a row.
            Assert.Equal(0, Figure(page, "count-tokens"));
            Assert.Contains("client_credentials", page.QuerySelector("#tokens-heading")!.ParentElement!.TextContent, StringComparison.Ordinal);
            Assert.Equal(2, Figure(page, "count-signin-failures"));
        }
    }

    [Fact]
    public async Task TokenRowsOfTheLastDayAreCountedByTypeAndMachineTokensAreNot()
    {
        using var person = server.CreateBrowser();
        await OAuth.SignInSpaAsync(person);
        using var http = server.CreateClient();
        await Grants.MachineTokenAsync(http);

        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var page = await ConsoleAdmins.PageAsync(admin, "/admin");
            var types = page.QuerySelectorAll("section table tbody tr").ToDictionary(r => r.QuerySelector("th")!.TextContent, r => int.Parse(r.QuerySelector("td")!.TextContent, CultureInfo.InvariantCulture));
            Assert.Equal(types.Values.Sum(), Figure(page, "count-tokens"));
            Assert.True(types.ContainsKey("refresh_token"), string.Join(", ", types.Keys));
            Assert.True(types.ContainsKey("authorization_code"), string.Join(", ", types.Keys));
        }
    }
}
