using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Fuzz;

/// <summary>An address [EmailAddress] accepts but no mailer can parse is refused on the form (found by the fuzz test).</summary>
public sealed class UndeliverableEmailTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Theory]
    [InlineData("x(y@example.com")]
    [InlineData("x\"y@example.com")]
    public async Task ChangeEmailRefusesIt(string address)
    {
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        var response = await People.PostPageAsync(browser, "/Account/Manage/ChangeEmail", new Dictionary<string, string> { ["NewEmail"] = address });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not an email address", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistrationRefusesIt()
    {
        using var browser = server.CreateBrowser();
        var response = await People.RegisterAsync(browser, "quill", "x(y@example.com", "marble orchard kettle 36");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
