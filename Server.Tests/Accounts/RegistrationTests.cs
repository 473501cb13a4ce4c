using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Accounts;

/// <summary>Registration never tells a visitor whether an address already has an account.</summary>
public sealed class RegistrationTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string Password = "copper thistle harbor 41";

    private static async Task<string> MainAsync(HttpResponseMessage response) => (await Browser.HtmlAsync(response)).QuerySelector("main")!.InnerHtml;

    private static async Task<string> ErrorsAsync(HttpResponseMessage response) =>
        string.Join(" ", (await Browser.HtmlAsync(response)).QuerySelectorAll(".error").Select(e => e.TextContent.Trim())).Trim();

    [Fact]
    public async Task RegisteringATakenAddressAnswersAsANewAccountWouldAndTellsTheOwner()
    {
        var fresh = await People.RegisterAsync(server.CreateBrowser(), "nora", "nora@example.com", Password);
        var (confirmation, _) = await People.LastMailAsync(server, "nora@example.com");
        Assert.Equal("Confirm your email", confirmation.Subject);

        var taken = await People.RegisterAsync(server.CreateBrowser(), "nora-two", "nora@example.com", "another sturdy passphrase 8");
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(fresh.StatusCode, taken.StatusCode);
        Assert.Equal(await MainAsync(fresh), await MainAsync(taken));

        var (notice, link) = await People.LastMailAsync(server, "nora@example.com");
        Assert.Equal("Someone tried to register with your address", notice.Subject);
        Assert.EndsWith("/Account/Login", link, StringComparison.Ordinal);
        Assert.DoesNotContain("ConfirmEmail", notice.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await People.SignInAsync(server.CreateBrowser(), "nora-two", "another sturdy passphrase 8")).StatusCode);
    }

    [Fact]
    public async Task ATakenUserNameIsSaidToBeTakenWithoutAWordAboutTheAddress()
    {
        await People.RegisterAsync(server.CreateBrowser(), "olga", "olga@example.com", Password);

        var newAddress = await People.RegisterAsync(server.CreateBrowser(), "olga", "olga.other@example.com", Password);
        var takenAddress = await People.RegisterAsync(server.CreateBrowser(), "olga", "olga@example.com", Password);
        Assert.Equal(HttpStatusCode.BadRequest, newAddress.StatusCode);
        Assert.Equal(newAddress.StatusCode, takenAddress.StatusCode);
        Assert.Equal("That user name is taken; choose another.", await ErrorsAsync(newAddress));
        Assert.Equal(await ErrorsAsync(newAddress), await ErrorsAsync(takenAddress));
    }
}
