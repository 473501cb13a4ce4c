using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.External;

/// <summary>
/// Sign-in through a real upstream OpenID Connect provider: another instance of this server, with its own
/// issuer, keys and users, on its own loopback port.
/// </summary>
public sealed class ExternalSignInTests : IAsyncLifetime
{
    private const string UpstreamSecret = "downstream-secret-0123456789abcdef";
    private ServerFactory upstream = null!;
    private ServerFactory main = null!;

    public Task InitializeAsync()
    {
        var (mainPort, upstreamPort) = (LoopbackPort.Free(), LoopbackPort.Free());
        upstream = new ServerFactory();
        upstream.Settings["IdentityServer:Issuer"] = $"http://localhost:{upstreamPort}/";
        upstream.DeclareClient(new TestClient("downstream")
        {
            Secret = UpstreamSecret, RedirectUris = [$"http://127.0.0.1:{mainPort}/callback/login/upstream"],
            GrantTypes = ["authorization_code"], Scopes = ["openid", "profile", "email"],
        });
        upstream.Settings["IdentityServer:Users:1:UserName"] = "uma";
        upstream.Settings["IdentityServer:Users:1:Email"] = "uma@example.com";
        upstream.Settings["IdentityServer:Users:1:Name"] = "Uma Upstream";
        upstream.Settings["IdentityServer:Users:1:Password"] = "juniper falcon harbour 19";

        // An upstream account whose address is unconfirmed still signs in there; its tokens say email_verified=false.
        upstream.Settings["IdentityServer:Accounts:RequireConfirmedEmail"] = "false";
        upstream.UseKestrel(upstreamPort);
        upstream.StartServer();

        main = new ServerFactory();
        main.Settings["IdentityServer:External:Providers:0:Name"] = "upstream";
        main.Settings["IdentityServer:External:Providers:0:DisplayName"] = "Upstream";
        main.Settings["IdentityServer:External:Providers:0:Issuer"] = $"http://localhost:{upstreamPort}/";
        main.Settings["IdentityServer:External:Providers:0:ClientId"] = "downstream";
        main.Settings["IdentityServer:External:Providers:0:ClientSecret"] = UpstreamSecret;
        main.UseKestrel(mainPort);
        main.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await main.DisposeAsync();
        await upstream.DisposeAsync();
    }

    private sealed class Journey : IDisposable
    {
        public HttpClient Http { get; } = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false });

        public Uri Current { get; private set; } = new("http://127.0.0.1/");

        public async Task<HttpResponseMessage> GetAsync(Uri url)
        {
            Current = url;
            return await Http.GetAsync(url);
        }

        /// <summary>Submits the form that contains <paramref name="selector"/> (or the first form) on the page.</summary>
        public async Task<HttpResponseMessage> SubmitAsync(HttpResponseMessage page, Dictionary<string, string>? values = null, string? selector = null, (string, string)? button = null)
        {
            var document = await Browser.HtmlAsync(page);
            var form = (selector is null ? document.Forms[0] : document.QuerySelector(selector)!.Closest("form")) as AngleSharp.Html.Dom.IHtmlFormElement;
            var fields = form!.Elements.OfType<AngleSharp.Html.Dom.IHtmlInputElement>().Where(i => !string.IsNullOrEmpty(i.Name) && i.Type != "submit")
                .Select(i => KeyValuePair.Create(i.Name!, values is not null && values.TryGetValue(i.Name!, out var v) ? v : i.Value)).ToList();
            if (button is { } b)
            {
                fields.Add(KeyValuePair.Create(b.Item1, b.Item2));
            }

            var action = new Uri(Current, string.IsNullOrEmpty(form.GetAttribute("action")) ? Current.PathAndQuery : form.GetAttribute("action"));
            Current = action;
            return await Http.PostAsync(action, new FormUrlEncodedContent(fields));
        }

        /// <summary>Follows redirects, signing in at the upstream and answering its consent page, until a page is shown.</summary>
        public async Task<HttpResponseMessage> FollowAsync(HttpResponseMessage response, string login, string password, bool consent = true)
        {
            for (var step = 0; step < 15; step++)
            {
                if (response.StatusCode == HttpStatusCode.Redirect)
                {
                    response = await GetAsync(new Uri(Current, response.Headers.Location!));
                    continue;
                }

                var upstreamPage = Current.Host == "localhost";
                if (upstreamPage && Current.AbsolutePath == "/Account/Login" && response.StatusCode == HttpStatusCode.OK)
                {
                    response = await SubmitAsync(response, new Dictionary<string, string> { ["Login"] = login, ["Password"] = password });
                    continue;
                }

                if (upstreamPage && Current.AbsolutePath == "/connect/authorize" && response.StatusCode == HttpStatusCode.OK)
                {
                    response = await SubmitAsync(response, button: ("consent", consent ? "accept" : "deny"));
                    continue;
                }

                return response;
            }

            throw new InvalidOperationException("Too many redirects.");
        }

        public void Dispose() => Http.Dispose();
    }

    private async Task<HttpResponseMessage> SignInThroughUpstreamAsync(Journey journey, string login, string password, bool consent = true)
    {
        var page = await journey.GetAsync(new Uri(main.ClientOptions.BaseAddress, "/Account/Login?ReturnUrl=%2FAccount%2FManage"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var started = await journey.SubmitAsync(page, selector: "button[data-provider=upstream]");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.StartsWith(upstream.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority).Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/connect/authorize", started.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        return await journey.FollowAsync(started, login, password, consent);
    }

    private async Task<ApplicationUser?> LocalUserForAsync(string upstreamLogin)
    {
        string upstreamId;
        await using (var scope = upstream.Services.CreateAsyncScope())
        {
            upstreamId = (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync(upstreamLogin))!.Id;
        }

        await using var local = main.Services.CreateAsyncScope();
        return await local.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByLoginAsync("upstream", upstreamId);
    }

    [Fact]
    public async Task FirstSignInCreatesALocalAccountAndTheSecondReusesIt()
    {
        using (var first = new Journey())
        {
            var landed = await SignInThroughUpstreamAsync(first, "uma", "juniper falcon harbour 19");
            Assert.True(landed.StatusCode == HttpStatusCode.OK, first.Current + " " + (await Browser.HtmlAsync(landed)).Body?.TextContent);
            Assert.Equal("/Account/Manage", first.Current.AbsolutePath);
            Assert.Contains("uma@example.com", await landed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // The provider is the account's only way to sign in: it cannot be unlinked.
            var logins = await first.GetAsync(new Uri(main.ClientOptions.BaseAddress, "/Account/Manage/Logins"));
            Assert.NotNull((await Browser.HtmlAsync(logins)).QuerySelector("li[data-provider=upstream]"));
            var unlink = await first.SubmitAsync(logins);
            Assert.Equal(HttpStatusCode.BadRequest, unlink.StatusCode);
            Assert.Contains("only way to sign in", (await Browser.HtmlAsync(unlink)).QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        }

        var user = await LocalUserForAsync("uma");
        Assert.NotNull(user);
        Assert.Equal("Uma Upstream", user.Name);
        Assert.True(user.EmailConfirmed);

        using (var second = new Journey())
        {
            Assert.Equal(HttpStatusCode.OK, (await SignInThroughUpstreamAsync(second, "uma", "juniper falcon harbour 19")).StatusCode);
        }

        Assert.Equal(user.Id, (await LocalUserForAsync("uma"))!.Id);
        await using var scope = main.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.Single(users.Users.Where(u => u.Email == "uma@example.com"));
    }

    [Fact]
    public async Task AVerifiedEmailOfAnExistingAccountNeedsItsPasswordToLink()
    {
        using var journey = new Journey();
        var page = await SignInThroughUpstreamAsync(journey, "alice", ServerFactory.AlicePassword);
        Assert.Equal("/Account/ExternalLink", journey.Current.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Null(await LocalUserForAsync("alice"));

        var wrong = await journey.SubmitAsync(page, new Dictionary<string, string> { ["Password"] = "not alice's password" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Null(await LocalUserForAsync("alice"));

        var right = await journey.SubmitAsync(await journey.GetAsync(journey.Current), new Dictionary<string, string> { ["Password"] = ServerFactory.AlicePassword });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        var linked = await LocalUserForAsync("alice");
        Assert.NotNull(linked);
        Assert.Equal("alice", linked.UserName);
    }

    [Fact]
    public async Task AnUnverifiedEmailOfAnExistingAccountNeitherLinksToItNorIsClaimed()
    {
        await using (var scope = upstream.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var alice = (await users.FindByNameAsync("alice"))!;
            alice.EmailConfirmed = false;
            Assert.True((await users.UpdateAsync(alice)).Succeeded);
        }

        using var journey = new Journey();
        var landed = await SignInThroughUpstreamAsync(journey, "alice", ServerFactory.AlicePassword);
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Equal("/Account/Manage", journey.Current.AbsolutePath);
        Assert.DoesNotContain("alice@example.com", await landed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A new account of its own, without the address; the local alice has no provider linked.
        var created = await LocalUserForAsync("alice");
        Assert.NotNull(created);
        Assert.NotEqual("alice", created.UserName);
        Assert.Null(created.Email);
        await using var local = main.Services.CreateAsyncScope();
        var localUsers = local.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.Empty(await localUsers.GetLoginsAsync((await localUsers.FindByNameAsync("alice"))!));
    }

    [Fact]
    public async Task ASignedInPersonLinksAndUnlinksAProviderOnTheAccountPage()
    {
        using var journey = new Journey();
        var login = await journey.GetAsync(new Uri(main.ClientOptions.BaseAddress, "/Account/Login"));
        Assert.Equal(HttpStatusCode.Redirect, (await journey.SubmitAsync(login, new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = ServerFactory.AlicePassword })).StatusCode);

        var logins = await journey.GetAsync(new Uri(main.ClientOptions.BaseAddress, "/Account/Manage/Logins"));
        var linked = await journey.FollowAsync(await journey.SubmitAsync(logins, selector: "input[name=link]"), "uma", "juniper falcon harbour 19");
        Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        Assert.Equal("/Account/Manage/Logins", journey.Current.AbsolutePath);
        Assert.Contains("upstream is now linked", (await Browser.HtmlAsync(linked)).QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("alice", (await LocalUserForAsync("uma"))!.UserName);

        // alice has a password, so the provider may go.
        var unlinked = await journey.SubmitAsync(linked);
        Assert.Equal(HttpStatusCode.OK, unlinked.StatusCode);
        Assert.Null(await LocalUserForAsync("uma"));
    }

    [Fact]
    public async Task AProviderErrorShowsAFriendlyPageWithARetryLink()
    {
        using var journey = new Journey();
        var page = await SignInThroughUpstreamAsync(journey, "uma", "juniper falcon harbour 19", consent: false);
        Assert.Equal("/Account/ExternalError", journey.Current.AbsolutePath);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var document = await Browser.HtmlAsync(page);
        Assert.Contains("declined", document.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(document.QuerySelector("a[href='/Account/Login']"));

        // A forged callback (no such state) is refused with the same friendly page, never a 500.
        var forged = await journey.GetAsync(new Uri(main.ClientOptions.BaseAddress, "/callback/login/upstream?code=forged&state=" + new string('x', 3000)));
        Assert.Equal(HttpStatusCode.Redirect, forged.StatusCode);
        Assert.StartsWith("/Account/ExternalError", forged.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokensCarryTheLocalSubjectNotTheProviders()
    {
        using var journey = new Journey();
        await SignInThroughUpstreamAsync(journey, "uma", "juniper falcon harbour 19");
        var local = (await LocalUserForAsync("uma"))!;
        var idToken = await IdTokenAsync(journey);
        var claims = OAuth.JwtPayload(idToken);
        Assert.Equal(local.Id, claims["sub"].GetString());
        Assert.Equal(main.ClientOptions.BaseAddress.AbsoluteUri, claims["iss"].GetString());
        Assert.Equal(["ext"], Tokens.Amr(idToken));
        Assert.Equal("1", claims["acr"].GetString());
    }

    /// <summary>The web client's id token for the person this journey has signed in.</summary>
    private async Task<string> IdTokenAsync(Journey journey)
    {
        var (verifier, challenge) = OAuth.Pkce();
        var authorize = await journey.GetAsync(new Uri(main.ClientOptions.BaseAddress, OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, challenge))));
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var code = OAuth.Query(new Uri(main.ClientOptions.BaseAddress, authorize.Headers.Location!))["code"];
        var tokens = await OAuth.JsonAsync(await journey.Http.PostAsync(new Uri(main.ClientOptions.BaseAddress, "/connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = OAuth.Web, ["client_secret"] = OAuth.WebSecret, ["code"] = code,
            ["redirect_uri"] = OAuth.WebRedirect, ["code_verifier"] = verifier,
        })));
        return tokens.GetProperty("id_token").GetString()!;
    }

    [Fact]
    public async Task ExternalSignInStillAsksForTheSecondFactor()
    {
        using (var first = new Journey())
        {
            await SignInThroughUpstreamAsync(first, "uma", "juniper falcon harbour 19");
        }

        string key;
        await using (var scope = main.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var local = (await users.FindByIdAsync((await LocalUserForAsync("uma"))!.Id))!;
            await users.ResetAuthenticatorKeyAsync(local);
            key = (await users.GetAuthenticatorKeyAsync(local))!;
            await users.SetTwoFactorEnabledAsync(local, true);
        }

        using var journey = new Journey();
        var page = await SignInThroughUpstreamAsync(journey, "uma", "juniper falcon harbour 19");
        Assert.Equal("/Account/LoginWith2fa", journey.Current.AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, (await journey.Http.GetAsync(new Uri(main.ClientOptions.BaseAddress, "/Account/Manage"))).StatusCode);

        var done = await journey.SubmitAsync(page, new Dictionary<string, string> { ["Code"] = People.Totp(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await journey.Http.GetAsync(new Uri(main.ClientOptions.BaseAddress, "/Account/Manage"))).StatusCode);
        Assert.Equal(["ext", "otp", "mfa"], Tokens.Amr(await IdTokenAsync(journey)));
    }

    [Fact]
    public async Task ALockedAccountCannotSignInThroughAProvider()
    {
        using (var first = new Journey())
        {
            await SignInThroughUpstreamAsync(first, "uma", "juniper falcon harbour 19");
        }

        await using (var scope = main.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync((await LocalUserForAsync("uma"))!.Id))!, DateTimeOffset.MaxValue);
        }

        using var journey = new Journey();
        var page = await SignInThroughUpstreamAsync(journey, "uma", "juniper falcon harbour 19");
        Assert.Equal("/Account/ExternalError", journey.Current.AbsolutePath);
        Assert.Contains("locked", (await Browser.HtmlAsync(page)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await journey.Http.GetAsync(new Uri(main.ClientOptions.BaseAddress, "/Account/Manage"))).StatusCode);
    }

    [Fact]
    public async Task TheErrorPageShowsNoTextFromTheAddress()
    {
        using var journey = new Journey();
        const string Planted = "your account is suspended, call 555-0100 to restore it";
        var page = await journey.GetAsync(new Uri(main.ClientOptions.BaseAddress,
            "/Account/ExternalError?provider=" + Uri.EscapeDataString("Evil Corp") + "&reason=" + Uri.EscapeDataString(Planted)));
        var text = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.DoesNotContain("555-0100", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Evil Corp", text, StringComparison.Ordinal);
    }
}
