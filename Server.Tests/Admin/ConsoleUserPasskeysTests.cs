using System.Net;
using IdentityServer.Tests.Infrastructure;
using IdentityServer.Tests.Passkeys;

namespace IdentityServer.Tests.Admin;

/// <summary>A user's passkeys on the console's user page: listed, removed one at a time, never the last way in.</summary>
public sealed class ConsoleUserPasskeysTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private static string Details(string id) => "/admin/users/details?id=" + id;

    [Fact]
    public async Task ThePageListsThePasskeysAndRemovingOneIsAuditedWithTheAdmin()
    {
        var name = await People.NewUserAsync(server, "keys");
        var passkeys = await SeededPasskeys.AddAsync(server.Services, name, 2);
        var id = await SeededPasskeys.IdOfAsync(server.Services, name);
        var (admin, adminName) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var page = await ConsoleAdmins.PageAsync(admin, Details(id));
            var rows = page.QuerySelectorAll("#passkeys tbody tr");
            Assert.Equal(passkeys, rows.Select(r => r.GetAttribute("data-passkey")!));
            Assert.Equal("Key 0", rows[0].QuerySelector("th")!.TextContent);
            Assert.Equal("yes", rows[0].QuerySelector("td[data-label='Backed up']")!.TextContent);
            Assert.Equal("never", rows[1].QuerySelector("td[data-label='Last used']")!.TextContent);

            var removed = await ConsoleAdmins.PostAsync(admin, Details(id), Details(id) + "&handler=RemovePasskey", new Dictionary<string, string> { ["passkeyId"] = passkeys[1] });

            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
            var after = await Browser.HtmlAsync(removed);
            Assert.Contains("Key 1", after.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
            Assert.Equal([passkeys[0]], after.QuerySelectorAll("#passkeys tbody tr").Select(r => r.GetAttribute("data-passkey")!));
            Assert.Equal(1, await SeededPasskeys.CountAsync(server.Services, id));
            var audit = await ConsoleAdmins.PageAsync(admin, "/admin/audit?User=" + name);
            foreach (var type in new[] { "admin.passkey.removed", "account.passkey_removed" })
            {
                var row = Assert.Single(audit.QuerySelectorAll($"#events tbody tr[data-type='{type}']"));
                Assert.Equal(adminName, row.QuerySelector("td[data-label=Actor]")!.TextContent);
            }
        }
    }

    [Fact]
    public async Task TheLastWayIntoAnAccountIsRefusedWithAMessage()
    {
        var name = await SeededPasskeys.PasswordlessUserAsync(server.Services);
        var passkeys = await SeededPasskeys.AddAsync(server.Services, name, 1);
        var id = await SeededPasskeys.IdOfAsync(server.Services, name);
        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var refused = await ConsoleAdmins.PostAsync(admin, Details(id), Details(id) + "&handler=RemovePasskey", new Dictionary<string, string> { ["passkeyId"] = passkeys[0] });

            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var page = await Browser.HtmlAsync(refused);
            Assert.Contains("last way to sign in", page.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
            Assert.Single(page.QuerySelectorAll("#passkeys tbody tr"));
            Assert.Equal(1, await SeededPasskeys.CountAsync(server.Services, id));
        }
    }

    [Fact]
    public async Task AnUnknownPasskeyIsA404AndAPostWithoutTheAntiforgeryTokenIsRefused()
    {
        var name = await People.NewUserAsync(server, "keys");
        var passkeys = await SeededPasskeys.AddAsync(server.Services, name, 1);
        var id = await SeededPasskeys.IdOfAsync(server.Services, name);
        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var unknown = await ConsoleAdmins.PostAsync(admin, Details(id), Details(id) + "&handler=RemovePasskey", new Dictionary<string, string> { ["passkeyId"] = "AAAAAAAAAAAAAAAAAAAAAA" });
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await ConsoleAdmins.PostAsync(admin, Details(id), Details(id) + "&handler=RemovePasskey")).StatusCode);

            var forged = await admin.PostFormAsync(Details(id) + "&handler=RemovePasskey", new Dictionary<string, string> { ["passkeyId"] = passkeys[0] });
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Equal(1, await SeededPasskeys.CountAsync(server.Services, id));
        }
    }
}
