using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Accounts;

public sealed class AccountTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string StrongPassword = "orbit lantern mosaic 93";

    private static async Task<string?> ErrorsAsync(HttpResponseMessage response) =>
        string.Join(" ", (await Browser.HtmlAsync(response)).QuerySelectorAll(".error").Select(e => e.TextContent.Trim())).Trim();

    [Fact]
    public async Task RegisterConfirmThenSignIn()
    {
        using var browser = server.CreateBrowser();
        var registered = await People.RegisterAsync(browser, "dora", "dora@example.com", StrongPassword);
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);

        var early = await People.SignInAsync(browser, "dora", StrongPassword);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Contains("Confirm your email", await ErrorsAsync(early), StringComparison.Ordinal);

        var (_, link) = await People.LastMailAsync(server, "dora@example.com");
        var confirmed = await browser.GetAsync(new Uri(link).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);

        var signedIn = await People.SignInAsync(browser, "dora", StrongPassword);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    [Fact]
    public async Task TamperedConfirmationLinkFails()
    {
        using var browser = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync("/Account/ConfirmEmail?userId=nobody&code=abc")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync("/Account/ConfirmEmail?userId=x&code=%%%")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync("/Account/ConfirmEmail")).StatusCode);
    }

    [Theory]
    [InlineData("password1234")]
    [InlineData("qwertyuiop123")]
    [InlineData("short")]
    [InlineData("erin-the-great-2024")]
    public async Task WeakPasswordsAreRejected(string password)
    {
        using var browser = server.CreateBrowser();
        var response = await People.RegisterAsync(browser, "erin", "erin@example.com", password);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(await ErrorsAsync(response)));
    }

    [Fact]
    public async Task LongPassphrasesAreAcceptedAndOversizedOnesRejected()
    {
        using var browser = server.CreateBrowser();
        var passphrase = string.Join(' ', Enumerable.Range(0, 40).Select(i => "w" + (i * 7919 % 1000))).PadRight(160, 'x');
        Assert.Equal(HttpStatusCode.OK, (await People.RegisterAsync(browser, "frank", "frank@example.com", passphrase)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await People.RegisterAsync(browser, "gina", "gina@example.com", new string('z', 2000))).StatusCode);
    }

    [Theory]
    [InlineData("ａｌｉｃｅ", "alice2@example.com")]
    [InlineData("аlice", "alice3@example.com")]
    [InlineData("alıce", "alice4@example.com")]
    [InlineData("ALICE", "alice5@example.com")]
    [InlineData("mallory", "аlice@example.com")]
    public async Task LookAlikeNamesNeitherCollideNorImpersonate(string userName, string email)
    {
        using var browser = server.CreateBrowser();
        var response = await People.RegisterAsync(browser, userName, email, StrongPassword);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await People.MailSentAsync(server.Services);
        Assert.Null(await Task.Run(() => Directory.Exists(server.MailFolder)
            ? Directory.GetFiles(server.MailFolder).FirstOrDefault(f => File.ReadAllText(f).Contains(email, StringComparison.Ordinal))
            : null));
    }

    [Theory]
    [InlineData("alıce")]
    [InlineData("ａｌｉｃｅ")]
    public async Task LookAlikeLoginNamesDoNotReachTheRealAccount(string login)
    {
        using var browser = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.BadRequest, (await People.SignInAsync(browser, login, ServerFactory.AlicePassword)).StatusCode);
    }

    [Fact]
    public async Task ForgotAndResetPassword()
    {
        using var browser = server.CreateBrowser();
        await People.RegisterAsync(browser, "hugo", "hugo@example.com", StrongPassword);
        var (_, confirm) = await People.LastMailAsync(server, "hugo@example.com");
        await browser.GetAsync(new Uri(confirm).PathAndQuery);

        var unknown = await People.PostPageAsync(browser, "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "nobody@example.com" });
        var known = await People.PostPageAsync(browser, "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "hugo@example.com" });
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal((await Browser.HtmlAsync(unknown)).QuerySelector("main")!.TextContent, (await Browser.HtmlAsync(known)).QuerySelector("main")!.TextContent);

        var (_, reset) = await People.LastMailAsync(server, "hugo@example.com");
        var form = await browser.GetAsync(new Uri(reset).PathAndQuery);
        var done = await browser.SubmitFormAsync(form, new Dictionary<string, string> { ["Password"] = "kettle saffron bridge 58" });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Password changed", (await Browser.HtmlAsync(done)).QuerySelector("h1")!.TextContent, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await People.SignInAsync(browser, "hugo", StrongPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(browser, "hugo", "kettle saffron bridge 58")).StatusCode);

        var replay = await browser.SubmitFormAsync(await browser.GetAsync(new Uri(reset).PathAndQuery), new Dictionary<string, string> { ["Password"] = "another fine passphrase 7" });
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
    }

    [Fact]
    public async Task ChangeEmailTakesEffectOnlyAfterConfirmation()
    {
        using var browser = server.CreateBrowser();
        await People.RegisterAsync(browser, "ivy", "ivy@example.com", StrongPassword);
        await browser.GetAsync(new Uri((await People.LastMailAsync(server, "ivy@example.com")).Link).PathAndQuery);
        await People.SignInAsync(browser, "ivy", StrongPassword);

        var sent = await People.PostPageAsync(browser, "/Account/Manage/ChangeEmail", new Dictionary<string, string> { ["NewEmail"] = "ivy.new@example.com" });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await People.SignInAsync(server.CreateBrowser(), "ivy.new@example.com", StrongPassword)).StatusCode);

        var (_, link) = await People.LastMailAsync(server, "ivy.new@example.com");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri(link).PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(server.CreateBrowser(), "ivy.new@example.com", StrongPassword)).StatusCode);
    }

    [Fact]
    public async Task DeleteAccountNeedsThePasswordAndRemovesEverything()
    {
        using var browser = server.CreateBrowser();
        await People.RegisterAsync(browser, "jack", "jack@example.com", StrongPassword);
        await browser.GetAsync(new Uri((await People.LastMailAsync(server, "jack@example.com")).Link).PathAndQuery);
        await People.SignInAsync(browser, "jack", StrongPassword);

        Assert.Equal(HttpStatusCode.BadRequest, (await People.PostPageAsync(browser, "/Account/Manage/Delete", new Dictionary<string, string> { ["Password"] = "wrong one" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await People.PostPageAsync(browser, "/Account/Manage/Delete", new Dictionary<string, string> { ["Password"] = StrongPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await People.SignInAsync(browser, "jack", StrongPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/Account/Manage")).StatusCode);
    }

    [Fact]
    public async Task RegistrationCanBeSwitchedOff()
    {
        using var closed = new ServerFactory();
        closed.Settings["IdentityServer:Accounts:AllowRegistration"] = "false";
        using var browser = closed.CreateBrowser();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/Account/Register")).StatusCode);
        var login = await browser.GetAsync("/Account/Login");
        Assert.DoesNotContain("/Account/Register", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
