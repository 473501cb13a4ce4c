using System.Net;
using System.Text.Json;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Passkeys;

/// <summary>With an issuer configured, the relying party and the allowed origin come from it, whatever the request says.</summary>
public sealed class PasskeyRelyingPartyTests : IAsyncLifetime
{
    private const string Issuer = "https://login.example.com";

    private readonly ServerFactory server = new();

    public Task InitializeAsync()
    {
        server.Settings["IdentityServer:Issuer"] = Issuer;
        server.Settings["IdentityServer:RequireHttps"] = "false";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task TheRelyingPartyIdIsTheIssuersHostNotTheHostHeader()
    {
        using var browser = server.CreateBrowser();
        var login = await browser.GetAsync("/Account/Login");
        var token = (await Browser.HtmlAsync(login)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Account/Passkey?handler=Options")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Host = "evil.example";

        var options = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        Assert.Equal("login.example.com", JsonDocument.Parse(await options.Content.ReadAsStringAsync()).RootElement.GetProperty("rpId").GetString());
    }

    [Fact]
    public async Task OnlyTheIssuersOriginMayUseThePasskeys()
    {
        var name = await People.NewUserAsync(server, "issuer");
        using var authenticator = new SoftwareAuthenticator();
        using (var owner = server.CreateBrowser())
        {
            await People.SignInAsync(owner, name, People.NewUserPassword);
            var (options, token) = await OptionsAsync(owner);
            var added = await owner.PostFormAsync("/Account/Manage/Passkeys?handler=Add", new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Credential"] = authenticator.Create(options, Issuer),
            });
            Assert.Contains("The passkey was added", (await Browser.HtmlAsync(added)).QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        }

        // The request's own origin (http://localhost) is not the issuer's: refused.
        using var local = server.CreateBrowser();
        var (request, localToken) = await PasskeyCeremonies.StartSignInAsync(local);
        var refused = await PasskeyCeremonies.FinishSignInAsync(local, localToken, authenticator.Get(request, PasskeyCeremonies.Origin));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        using var browser = server.CreateBrowser();
        var (again, againToken) = await PasskeyCeremonies.StartSignInAsync(browser);
        var accepted = await PasskeyCeremonies.FinishSignInAsync(browser, againToken, authenticator.Get(again, Issuer));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
    }

    private static async Task<(string Options, string Token)> OptionsAsync(Browser browser)
    {
        var page = await browser.GetAsync("/Account/Manage/Passkeys");
        var token = (await Browser.HtmlAsync(page)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var options = await browser.PostFormAsync("/Account/Manage/Passkeys?handler=Options", new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        return (await options.Content.ReadAsStringAsync(), token);
    }
}
