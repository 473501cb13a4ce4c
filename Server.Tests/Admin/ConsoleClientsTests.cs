using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Admin;

/// <summary>The clients pages: create a client and read its secret once, rotate it, edit, delete; configuration's clients stay read-only.</summary>
public sealed class ConsoleClientsTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private static Dictionary<string, string> MachineClient(string clientId) => new()
    {
        ["Form.ClientId"] = clientId, ["Form.DisplayName"] = "Nightly job", ["Form.Type"] = "confidential",
        ["Form.GrantTypes"] = "client_credentials", ["Form.Scopes"] = "api",
    };

    private static async Task<string> CreateAsync(Browser admin, string clientId)
    {
        var created = await People.PostPageAsync(admin, "/admin/clients/create", MachineClient(clientId));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        return (await Browser.HtmlAsync(created)).QuerySelector("#client-secret")!.TextContent;
    }

    [Fact]
    public async Task ACreatedClientsSecretIsShownOnceAndGetsATokenAndTheCreationIsAudited()
    {
        var (admin, adminName) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var secret = await CreateAsync(admin, "nightly-job");
            Assert.Equal(43, secret.Length);

            using var http = server.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await Grants.MachineTokenAsync(http, "api", ("nightly-job", secret))).StatusCode);

            // Posting the same form again (a reload) finds the id taken and shows no secret.
            var again = await People.PostPageAsync(admin, "/admin/clients/create", MachineClient("nightly-job"));
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            var html = await again.Content.ReadAsStringAsync();
            Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
            Assert.Contains("already exists", (await Browser.HtmlAsync(again)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);

            var edit = await admin.GetAsync("/admin/clients/edit?id=nightly-job");
            Assert.DoesNotContain(secret, await edit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True(edit.Headers.CacheControl!.NoStore);

            var list = await ConsoleAdmins.PageAsync(admin, "/admin/clients?q=nightly");
            Assert.Equal("nightly-job", Assert.Single(list.QuerySelectorAll("#clients tbody tr")).GetAttribute("data-client"));

            var audit = await ConsoleAdmins.PageAsync(admin, "/admin/audit?Type=admin.client.created&Client=nightly-job");
            var entry = Assert.Single(audit.QuerySelectorAll("#events tbody tr"));
            Assert.Equal(adminName, entry.QuerySelector("td[data-label=Actor]")!.TextContent);
            Assert.DoesNotContain(secret, entry.TextContent, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RotatingTheSecretShowsTheNewOneOnceAndTheOldOneStopsWorking()
    {
        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var old = await CreateAsync(admin, "rotating-job");
            var rotated = await ConsoleAdmins.PostAsync(admin, "/admin/clients/edit?id=rotating-job", "/admin/clients/edit?id=rotating-job&handler=Rotate");
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
            var fresh = (await Browser.HtmlAsync(rotated)).QuerySelector("#client-secret")!.TextContent;
            Assert.NotEqual(old, fresh);

            using var http = server.CreateClient();
            Assert.Equal(HttpStatusCode.Unauthorized, (await Grants.MachineTokenAsync(http, "api", ("rotating-job", old))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Grants.MachineTokenAsync(http, "api", ("rotating-job", fresh))).StatusCode);
            Assert.Null((await ConsoleAdmins.PageAsync(admin, "/admin/clients/edit?id=rotating-job")).QuerySelector("#client-secret"));
        }
    }

    [Fact]
    public async Task WrongInputIsRefusedFieldByFieldAndNothingIsCreated()
    {
        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var refused = await People.PostPageAsync(admin, "/admin/clients/create", new Dictionary<string, string>
            {
                ["Form.ClientId"] = "https://evil.example/doc", ["Form.Type"] = "public", ["Form.GrantTypes"] = "client_credentials", ["Form.Scopes"] = "nope",
            });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var page = await Browser.HtmlAsync(refused);
            var messages = page.QuerySelectorAll(".field-validation-error").Select(e => e.TextContent).ToList();
            Assert.Contains(messages, m => m.StartsWith("ClientId is required", StringComparison.Ordinal));
            Assert.Contains(messages, m => m.StartsWith("A public client cannot use client_credentials", StringComparison.Ordinal));
            Assert.Contains(messages, m => m.StartsWith("Unknown scopes", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/clients/edit?id=" + Uri.EscapeDataString("https://evil.example/doc"))).StatusCode);
        }
    }

    [Fact]
    public async Task EditingSavesTheSettingsAndDeletingRemovesTheClient()
    {
        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            await CreateAsync(admin, "edited-job");
            var fields = MachineClient("edited-job");
            fields["Form.DisplayName"] = "Renamed job";
            var saved = await ConsoleAdmins.PostAsync(admin, "/admin/clients/edit?id=edited-job", "/admin/clients/edit?id=edited-job&handler=Save", fields);
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            Assert.Equal("Renamed job", (await Browser.HtmlAsync(saved)).QuerySelector("#Form_DisplayName")!.GetAttribute("value"));

            var deleted = await ConsoleAdmins.PostAsync(admin, "/admin/clients/edit?id=edited-job", "/admin/clients/edit?id=edited-job&handler=Delete");
            Assert.Contains("was deleted", (await Browser.HtmlAsync(deleted)).QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/clients/edit?id=edited-job")).StatusCode);
        }
    }

    [Fact]
    public async Task AClientDeclaredInConfigurationIsReadOnly()
    {
        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var page = await ConsoleAdmins.PageAsync(admin, "/admin/clients/edit?id=machine");
            Assert.Null(page.QuerySelector("form[action*='handler=Save']"));
            Assert.Contains("IdentityServer:Clients", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);

            var rotate = await ConsoleAdmins.PostAsync(admin, "/admin/clients/create", "/admin/clients/edit?id=machine&handler=Rotate");
            Assert.Equal(HttpStatusCode.Conflict, rotate.StatusCode);
            Assert.Null((await Browser.HtmlAsync(rotate)).QuerySelector("#client-secret"));
            using var http = server.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await Grants.MachineTokenAsync(http)).StatusCode);
        }
    }
}
