using System.Net;
using System.Text;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Fuzz;

/// <summary>What the fuzz test found, each pinned down as the exact request that used to get a 500.</summary>
public sealed class FuzzFindingsTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string Form = "application/x-www-form-urlencoded";

    /// <summary>Signs alice in and returns the anti-forgery token of her session (from a page that has a form).</summary>
    private static async Task<string> SignedInAntiforgeryTokenAsync(Browser browser)
    {
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        return (await Browser.HtmlAsync(await browser.GetAsync("/Account/Manage/ChangePassword")))
            .QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string contentType, byte[] body)
    {
        using var client = server.CreateDefaultClient();
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await client.PostAsync(path, content);
    }

    public static TheoryData<string, string, string> MalformedForms => new()
    {
        // A percent-escape of a NUL: ASP.NET Core's form reader refuses it.
        { "/connect/token", Form, "grant_type=client_credentials&scope=%00" },
        { "/connect/token", Form, new string('k', 2049) + "=v" },
        { "/connect/introspect", Form, string.Join('&', Enumerable.Range(0, 1025).Select(i => $"f{i}=v")) },
        { "/connect/revoke", Form + ";;;", "token=x" },
        { "/connect/authorize", Form + ", text/plain", "client_id=spa" },
        { "/connect/userinfo", "multipart/form-data", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b--\r\n" },
        { "/connect/endsession", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv" },
        { "/callback/login/github", Form, "state=%00" },
        { "/Account/Login", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"Login\"\r\n\r\nalice\r\n" },
        { "/Account/ForgotPassword", "multipart/form-data; boundary=other", "--b\r\nContent-Disposition: form-data; name=\"Email\"\r\n\r\na@b.c\r\n--b--\r\n" },
    };

    [Theory]
    [MemberData(nameof(MalformedForms))]
    public async Task AFormThatCannotBeReadIsA400(string path, string contentType, string body)
    {
        var response = await PostAsync(path, contentType, Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (path.StartsWith("/connect/", StringComparison.Ordinal))
        {
            Assert.Equal("invalid_request", (await OAuth.JsonAsync(response)).GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task AFieldNameWithAnUnclosedBracketIsJustAnUnknownField()
    {
        using var browser = server.CreateBrowser();
        var posted = await People.PostPageAsync(browser, "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "nobody@example.com", ["x[y"] = "1" });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Account/Login?x[y=1")).StatusCode);
    }

    [Fact]
    public async Task APostToAPageWithoutAPostHandlerIsA405()
    {
        using var browser = server.CreateBrowser();

        // The Index page has no form: its antiforgery token comes from another page of the same session.
        var token = await SignedInAntiforgeryTokenAsync(browser);
        var posted = await browser.PostFormAsync("/Account/Manage/Index", new Dictionary<string, string> { ["__RequestVerificationToken"] = token });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, posted.StatusCode);
        Assert.Contains("GET", posted.Content.Headers.Allow);
    }

    [Fact]
    public async Task AConsentAnswerThatIsNoFormIsA400()
    {
        using var browser = server.CreateBrowser();
        var token = await SignedInAntiforgeryTokenAsync(browser);

        // The anti-forgery token in its header, the body JSON: the framework's check passes, the form is not there.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/consent") { Content = new StringContent("{\"consent\":\"accept\"}", Encoding.UTF8, "application/json") };
        request.Headers.Add("RequestVerificationToken", token);
        var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    public async Task AProviderCallbackPostedWithoutAFormShowsTheErrorPage(string? contentType)
    {
        await using var github = new FuzzServer();
        using var client = github.CreateDefaultClient();
        var content = new ByteArrayContent("state=x"u8.ToArray());
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var response = await client.PostAsync("/callback/login/github", content);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/ExternalError?provider=github", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>Valid JSON whose user handle escapes a lone surrogate: reading it threw before the passkey was even checked.</summary>
    [Theory]
    [InlineData("""{"response":{"userHandle":"\ud800"}}""")]
    [InlineData("""{"response":{"clientDataJSON":"eyJjaGFsbGVuZ2UiOiJcdWQ4MDAifQ"}}""")]
    public async Task APasskeyAnswerWithALoneSurrogateIsRefusedNotA500(string credential)
    {
        using var browser = server.CreateBrowser();

        var posted = await People.PostPageAsync(browser, "/Account/Passkey", new Dictionary<string, string> { ["Credential"] = credential });

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
    }
}
