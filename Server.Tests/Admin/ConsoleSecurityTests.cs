using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Admin;

/// <summary>The console's pages carry the same headers as every page people see, and refuse forged posts.</summary>
public sealed class ConsoleSecurityTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    public static TheoryData<string> Pages => ["/admin", "/admin/audit", "/admin/sessions", "/Admin/Denied"];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task ConsolePagesCarryTheSecurityHeaders(string path)
    {
        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var response = await admin.GetAsync(path);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.True(response.Headers.CacheControl!.NoStore);

            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryTokenIsRefusedAndEndsNothing()
    {
        var (admin, name) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var page = await ConsoleAdmins.PageAsync(admin, "/admin/sessions?user=" + name);
            var row = Assert.Single(page.QuerySelectorAll("#sessions tbody tr"));
            var fields = new Dictionary<string, string>
            {
                ["userId"] = row.QuerySelector("input[name=userId]")!.GetAttribute("value")!,
                ["id"] = row.QuerySelector("input[name=id]")!.GetAttribute("value")!,
            };

            var forged = await admin.PostFormAsync("/admin/sessions?handler=End", fields);
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin")).StatusCode);
        }
    }

    [Fact]
    public async Task AnotherPersonsAntiforgeryTokenDoesNotWorkEither()
    {
        var (admin, name) = await ConsoleAdmins.SignedInAdminAsync(server);
        var (attacker, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        using (attacker)
        {
            var page = await ConsoleAdmins.PageAsync(admin, "/admin/sessions?user=" + name);
            var row = Assert.Single(page.QuerySelectorAll("#sessions tbody tr"));
            var theirs = (await ConsoleAdmins.PageAsync(attacker, "/admin/sessions")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

            var forged = await admin.PostFormAsync("/admin/sessions?handler=End",
            [
                KeyValuePair.Create("__RequestVerificationToken", theirs),
                KeyValuePair.Create("userId", row.QuerySelector("input[name=userId]")!.GetAttribute("value")!),
                KeyValuePair.Create("id", row.QuerySelector("input[name=id]")!.GetAttribute("value")!),
            ]);
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin")).StatusCode);
        }
    }
}
