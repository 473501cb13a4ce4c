using System.Globalization;
using IdentityServer.Audit;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Admin;

/// <summary>The audit log page: filters by user, client, type or area, time and text, newest first, in pages. Its own server: it counts events.</summary>
public sealed class ConsoleAuditTests : IAsyncLifetime
{
    private readonly ServerFactory server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task FiltersNarrowTheEventsAndPagesGoBackInTime()
    {
        var start = server.Time.GetUtcNow();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
            for (var i = 0; i < 60; i++)
            {
                server.Time.Advance(TimeSpan.FromMinutes(1));
                await trail.RecordAsync(new AuditRecord(AuditEventTypes.SignInFailed) { UserName = "mallory", Reason = "wrong password " + i });
            }

            await trail.RecordAsync(new AuditRecord(AuditEventTypes.TokenFailed) { ClientId = "spa", Reason = "invalid_grant" });
        }

        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var all = await ConsoleAdmins.PageAsync(admin, "/admin/audit?Type=signin.failed");
            Assert.Equal(50, all.QuerySelectorAll("#events tbody tr").Length);
            Assert.Equal("wrong password 59", all.QuerySelector("#events tbody tr td[data-label=Reason]")!.TextContent);
            var older = all.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
            Assert.Contains("Type=signin.failed", older, StringComparison.Ordinal);
            var second = await ConsoleAdmins.PageAsync(admin, older.Replace("&amp;", "&", StringComparison.Ordinal));
            Assert.Equal(10, second.QuerySelectorAll("#events tbody tr").Length);
            Assert.Null(second.QuerySelector("a[rel=next]"));

            var byClient = await ConsoleAdmins.PageAsync(admin, "/admin/audit?Client=spa");
            Assert.Equal("token.failed", Assert.Single(byClient.QuerySelectorAll("#events tbody tr")).GetAttribute("data-type"));

            var byText = await ConsoleAdmins.PageAsync(admin, "/admin/audit?Type=signin&Text=password 1");
            Assert.Equal(11, byText.QuerySelectorAll("#events tbody tr").Length);

            var from = start.AddMinutes(10).UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
            var to = start.AddMinutes(12).UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
            var window = await ConsoleAdmins.PageAsync(admin, $"/admin/audit?Type=signin.failed&From={from}&To={to}");
            Assert.Equal(3, window.QuerySelectorAll("#events tbody tr").Length);
        }
    }

    [Fact]
    public async Task AFilterThatDoesNotParseShowsEverythingAndSaysSo()
    {
        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var page = await ConsoleAdmins.PageAsync(admin, "/admin/audit?From=yesterday&p=-4");
            Assert.Contains("could not be read", page.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        }
    }
}
