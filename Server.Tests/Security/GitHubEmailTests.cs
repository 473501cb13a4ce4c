using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Web;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace IdentityServer.Tests.Security;

/// <summary>
/// Sign-in through GitHub against a fake GitHub (its three endpoints, answered in place of the network):
/// the address that counts is the verified primary from <c>/user/emails</c>, never the profile's email.
/// </summary>
public sealed class GitHubEmailTests : IAsyncLifetime
{
    private readonly FakeGitHub github = new();
    private readonly ServerFactory server = new();

    public Task InitializeAsync()
    {
        server.Settings["IdentityServer:External:GitHub:ClientId"] = "gh-client";
        server.Settings["IdentityServer:External:GitHub:ClientSecret"] = "gh-secret";
        server.TestServices.Add(services => services.ConfigureAll<HttpClientFactoryOptions>(o =>
            o.HttpMessageHandlerBuilderActions.Add(b => b.AdditionalHandlers.Add(new FakeGitHubHandler(github)))));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    /// <summary>Starts the sign-in on the login page, then comes back to the callback as GitHub would.</summary>
    private async Task<HttpResponseMessage> SignInThroughGitHubAsync(Browser browser)
    {
        var page = await browser.GetAsync("/Account/Login?ReturnUrl=%2FAccount%2FManage");
        var document = await Browser.HtmlAsync(page);
        var form = document.QuerySelector("button[data-provider=github]")!.Closest("form")!;
        var fields = form.QuerySelectorAll("input[type=hidden]").Select(i => KeyValuePair.Create(i.GetAttribute("name")!, i.GetAttribute("value") ?? ""));
        var started = await browser.PostFormAsync("/Account/External", fields);
        Assert.True(started.StatusCode == HttpStatusCode.Redirect, $"{started.StatusCode} {await started.Content.ReadAsStringAsync()}");
        var authorize = started.Headers.Location!;
        Assert.True(authorize.IsAbsoluteUri, authorize.OriginalString + " " + string.Join(", ", github.Seen));
        Assert.Equal("https://github.com/login/oauth/authorize", authorize.GetLeftPart(UriPartial.Path));
        var state = HttpUtility.ParseQueryString(authorize.Query)["state"];

        var callback = await browser.GetAsync($"/callback/login/github?code=gh-code&state={Uri.EscapeDataString(state!)}&iss={Uri.EscapeDataString("https://github.com/login/oauth")}");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.False(callback.Headers.Location!.OriginalString.StartsWith("/Account/ExternalError", StringComparison.Ordinal),
            callback.Headers.Location.OriginalString + " after " + string.Join(", ", github.Seen));
        return callback;
    }

    private async Task<ApplicationUser?> LocalUserAsync(string githubId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByLoginAsync("github", githubId);
    }

    [Fact]
    public async Task TheVerifiedPrimaryAddressBecomesTheAccountsConfirmedEmail()
    {
        github.User = """{"id":1001,"login":"octo","name":"Octo Cat","email":"public@example.com"}""";
        github.Emails = """[{"email":"public@example.com","primary":false,"verified":false},{"email":"octo@example.com","primary":true,"verified":true}]""";
        using var browser = server.CreateBrowser();

        var landed = await SignInThroughGitHubAsync(browser);

        Assert.Equal("/Account/Manage", landed.Headers.Location!.OriginalString);
        var user = await LocalUserAsync("1001");
        Assert.NotNull(user);
        Assert.Equal("octo@example.com", user.Email);
        Assert.True(user.EmailConfirmed);
        Assert.Equal("Bearer gho_fake_token", github.EmailsAuthorization);
    }

    [Fact]
    public async Task AnUnverifiedProfileEmailOfSomeoneElseNeitherLinksNorIsKept()
    {
        // The attacker sets alice's address as the public profile email; GitHub never verified it.
        github.User = """{"id":1002,"login":"mallory","name":"Mallory","email":"alice@example.com"}""";
        github.Emails = """[{"email":"alice@example.com","primary":true,"verified":false},{"email":"mallory@example.com","primary":false,"verified":true}]""";
        using var browser = server.CreateBrowser();

        var landed = await SignInThroughGitHubAsync(browser);

        Assert.Equal("/Account/Manage", landed.Headers.Location!.OriginalString);
        var manage = await Browser.HtmlAsync(await browser.GetAsync("/Account/Manage"));
        Assert.DoesNotContain("alice", manage.Body!.TextContent, StringComparison.Ordinal);
        var mallory = await LocalUserAsync("1002");
        Assert.NotNull(mallory);
        Assert.Null(mallory.Email);
        Assert.False(mallory.EmailConfirmed);
        await using var scope = server.Services.CreateAsyncScope();
        var alice = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync("alice");
        Assert.NotEqual(alice!.Id, mallory.Id);
    }

    [Fact]
    public async Task AVerifiedPrimaryThatIsAnExistingAccountsAsksForThatAccountsPassword()
    {
        github.User = """{"id":1003,"login":"alice-gh","name":"Alice","email":null}""";
        github.Emails = """[{"email":"alice@example.com","primary":true,"verified":true}]""";
        using var browser = server.CreateBrowser();

        var landed = await SignInThroughGitHubAsync(browser);

        Assert.StartsWith("/Account/ExternalLink", landed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/Account/Manage")).StatusCode);
        Assert.Null(await LocalUserAsync("1003"));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "{}")]
    [InlineData(HttpStatusCode.OK, """{"message":"Bad credentials"}""")]
    [InlineData(HttpStatusCode.OK, "not json")]
    public async Task WhenTheAddressesCannotBeReadThePersonSignsInWithoutOne(HttpStatusCode status, string body)
    {
        github.User = """{"id":1004,"login":"octo2","name":"Octo Two","email":"octo2@example.com"}""";
        github.Emails = body;
        github.EmailsStatus = status;
        using var browser = server.CreateBrowser();

        var landed = await SignInThroughGitHubAsync(browser);

        Assert.Equal("/Account/Manage", landed.Headers.Location!.OriginalString);
        var user = await LocalUserAsync("1004");
        Assert.NotNull(user);
        Assert.Null(user.Email);
    }

    [Fact]
    public async Task AnAnswerLargerThanAnyRealListIsNotRead()
    {
        github.User = """{"id":1005,"login":"octo3","name":"Octo Three","email":null}""";
        var padding = string.Concat(Enumerable.Repeat("""{"email":"pad@example.com","primary":false,"verified":true},""", 1500));
        github.Emails = "[" + padding + """{"email":"octo3@example.com","primary":true,"verified":true}]""";
        using var browser = server.CreateBrowser();

        await SignInThroughGitHubAsync(browser);

        Assert.Null((await LocalUserAsync("1005"))!.Email);
    }

    private sealed class FakeGitHub
    {
        public string User { get; set; } = "{}";

        public string Emails { get; set; } = "[]";

        public HttpStatusCode EmailsStatus { get; set; } = HttpStatusCode.OK;

        public string? EmailsAuthorization { get; set; }

        public ConcurrentQueue<string> Seen { get; } = new();
    }

    /// <summary>Answers GitHub's token, user and emails endpoints; any other address is refused.</summary>
    private sealed class FakeGitHubHandler(FakeGitHub github) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.GetLeftPart(UriPartial.Path);
            github.Seen.Enqueue(url);
            var (status, body) = url switch
            {
                "https://github.com/login/oauth/access_token" => (HttpStatusCode.OK, """{"access_token":"gho_fake_token","token_type":"bearer","scope":"user:email"}"""),
                "https://api.github.com/user" => (HttpStatusCode.OK, github.User),
                "https://api.github.com/user/emails" => (github.EmailsStatus, github.Emails),
                _ => (HttpStatusCode.NotFound, "{}"),
            };
            if (url.EndsWith("/user/emails", StringComparison.Ordinal))
            {
                github.EmailsAuthorization = request.Headers.Authorization?.ToString();
            }

            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json"), RequestMessage = request });
        }
    }
}
