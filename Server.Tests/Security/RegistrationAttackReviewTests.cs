using System.Net;
using System.Text;
using System.Text.Json;
using IdentityServer.Jobs;
using IdentityServer.Tests.Endpoints.Registration;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace IdentityServer.Tests.Security;

/// <summary>
/// Attacks on dynamic client registration from a security review, performed on the wire. Each test failed on the code
/// it was written against; the fix it drove is named in the commit that added it.
/// </summary>
public sealed class RegistrationAttackReviewTests(RegistrationServer server) : IClassFixture<RegistrationServer>
{
    /// <summary>
    /// Phishing: the consent page shows where a registered client leads. It showed the host of the client's first
    /// registered redirect URI, so a client registered with a trusted-looking first URI and its own second one had
    /// the code sent to the second while the page named the first.
    /// </summary>
    [Fact]
    public async Task TheConsentPageNamesTheHostThisRequestsCodeGoesToNotTheFirstRegisteredOne()
    {
        using var http = server.CreateClient();
        const string Decoy = "https://trusted-bank.example/callback", Attacker = "https://attacker.example/callback";
        var clientId = (await Registrations.RegisterAsync(http, new Dictionary<string, object?>
        {
            ["client_name"] = "Bank app", ["redirect_uris"] = new[] { Decoy, Attacker }, ["scope"] = "openid profile",
        })).GetProperty("client_id").GetString()!;
        using var browser = server.CreateBrowser();

        // Alice signs in once (through the decoy); the next request goes to the attacker's URI and asks consent again.
        await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(clientId, Decoy, OAuth.Pkce().Challenge, "openid profile"));
        var page = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(clientId, Attacker, OAuth.Pkce().Challenge, "openid profile")));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await Browser.HtmlAsync(page);
        Assert.Equal("attacker.example", html.QuerySelector(".client-host")!.TextContent);
    }

    /// <summary>
    /// Phishing: a client_name with a bidi override or an invisible character renders as another text on the consent
    /// page ("Demo web app" spelled backwards behind U+202E reads as the real one). Those are format characters, not
    /// control characters, so the control-character check let them through.
    /// </summary>
    [Theory]
    [InlineData("\u202Eppa bew omeD")]
    [InlineData("Demo web app\u2066 (evil)\u2069")]
    [InlineData("Demo\u200B web app")]
    [InlineData("Demo web app\u2028second line")]
    public async Task AClientNameWithBidiControlsOrInvisibleCharactersIsRefused(string name)
    {
        using var http = server.CreateClient();
        var metadata = Registrations.Metadata();
        metadata["client_name"] = name;

        var response = await Registrations.PostAsync(http, metadata);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_client_metadata", Registrations.Error(await OAuth.JsonAsync(response)));
    }

    /// <summary>
    /// Pruning: a registered client that signed nobody in is removed after its lifetime. Pushing an authorization
    /// request (RFC 9126) needs no sign-in, yet stores a request token for the client, and the prune job counted any
    /// token as a sign-in: one anonymous POST to /connect/par kept a registered client for ever.
    /// </summary>
    [Fact]
    public async Task AClientThatOnlyPushedAnAuthorizationRequestIsStillPrunedAsUnused()
    {
        await using var own = new ServerFactory();
        Registrations.Enable(own);
        own.Settings["IdentityServer:Pruning:Enabled"] = "false";
        own.Settings["IdentityServer:Registration:UnusedClientLifetime"] = "1.00:00:00";
        using var http = own.CreateClient();
        var clientId = (await Registrations.RegisterAsync(http)).GetProperty("client_id").GetString()!;

        var request = OAuth.CodeRequest(clientId, Registrations.LoopbackRedirect, OAuth.Pkce().Challenge, "openid profile");
        using var form = new FormUrlEncodedContent(request.Select(p => new KeyValuePair<string, string>(p.Key, p.Value!)));
        var pushed = await http.PostAsync("/connect/par", form);
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);

        // The request token is there when the job runs; a day later the client, which never signed anyone in, goes.
        await own.Services.GetRequiredService<PruneJob>().RunAsync(CancellationToken.None);
        own.Time.Advance(TimeSpan.FromHours(25));
        await own.Services.GetRequiredService<PruneJob>().RunAsync(CancellationToken.None);

        await using var scope = own.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(clientId));
    }
    /// <summary>Escalation: metadata naming a configured client's id (and asking for implicit consent) registers a new, unrelated client.</summary>
    [Fact]
    public async Task MetadataNamingAConfiguredClientIdRegistersAnotherClientAndLeavesTheConfiguredOneAlone()
    {
        using var http = server.CreateClient();
        var metadata = Registrations.Metadata("https://attacker.example/callback");
        metadata["client_id"] = OAuth.Spa;
        metadata["consent_type"] = "implicit";

        var body = await Registrations.RegisterAsync(http, metadata);

        Assert.NotEqual(OAuth.Spa, body.GetProperty("client_id").GetString());
        using var browser = server.CreateBrowser();
        var page = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, "https://attacker.example/callback", OAuth.Pkce().Challenge, "openid")));
        Assert.NotEqual(HttpStatusCode.Redirect, page.StatusCode);
    }

    /// <summary>A registered client is public and code-only: no other grant, no device flow, no introspection, whatever it sends.</summary>
    [Theory]
    [InlineData("/connect/token", "grant_type=client_credentials&scope=openid")]
    [InlineData("/connect/token", "grant_type=urn:ietf:params:oauth:grant-type:token-exchange&subject_token=x&subject_token_type=urn:ietf:params:oauth:token-type:access_token")]
    [InlineData("/connect/token", "grant_type=password&username=alice&password=x")]
    [InlineData("/connect/device", "scope=openid")]
    public async Task ARegisteredClientGetsNothingFromOtherGrantsOrEndpoints(string path, string form)
    {
        using var http = server.CreateClient();
        var clientId = (await Registrations.RegisterAsync(http)).GetProperty("client_id").GetString()!;
        using var content = new StringContent(form + "&client_id=" + clientId, Encoding.UTF8, "application/x-www-form-urlencoded");

        var response = await http.PostAsync(path, content);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{path}: {response.StatusCode}");
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Rate limit: the hourly budget is per address and per endpoint, however the path is spelled (trailing slash, case,
    /// doubled or encoded slash) and whatever X-Forwarded-For claims (no proxy is trusted by default).
    /// </summary>
    [Fact]
    public async Task PathVariantsAndAForgedForwardedForDoNotGetAFreshRegistrationBudget()
    {
        await using var own = new ServerFactory();
        Registrations.Enable(own);
        own.Settings["IdentityServer:RateLimits:RegistrationsPerHourPerAddress"] = "1";
        using var http = own.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await Registrations.PostAsync(http, Registrations.Metadata())).StatusCode);

        var variant = 0;
        foreach (var path in new[] { "/connect/register", "/connect/register/", "/CONNECT/Register", "//connect/register", "/connect//register", "/connect%2Fregister", "/connect/register%2F" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new StringContent(JsonSerializer.Serialize(Registrations.Metadata()), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{++variant}");

            var response = await http.SendAsync(request);

            Assert.True(response.StatusCode != HttpStatusCode.Created && (int)response.StatusCode < 500, $"{path}: {response.StatusCode}");
        }
    }
    /// <summary>
    /// Another client's tokens: a registered client (public, no secret) can neither read alice's SPA tokens at the
    /// introspection endpoint nor revoke them at the revocation endpoint.
    /// </summary>
    [Fact]
    public async Task ARegisteredClientCanNeitherIntrospectNorRevokeAnotherClientsTokens()
    {
        using var http = server.CreateClient();
        var clientId = (await Registrations.RegisterAsync(http)).GetProperty("client_id").GetString()!;
        using var browser = server.CreateBrowser();
        var spa = await OAuth.SignInSpaAsync(browser);
        var access = spa.GetProperty("access_token").GetString()!;
        var refresh = spa.GetProperty("refresh_token").GetString()!;

        foreach (var token in new[] { access, refresh })
        {
            using var introspection = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["client_id"] = clientId });
            var introspected = await http.PostAsync("/connect/introspect", introspection);
            var body = await introspected.Content.ReadAsStringAsync();
            Assert.DoesNotContain("\"sub\"", body, StringComparison.Ordinal);
            Assert.DoesNotContain("\"active\":true", body.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);

            using var revocation = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["client_id"] = clientId });
            await http.PostAsync("/connect/revoke", revocation);
        }

        Assert.Equal(HttpStatusCode.OK, (await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(OAuth.Spa, refresh))).StatusCode);
    }
    /// <summary>
    /// Body parsing: lenient JSON (comments, trailing commas), a member repeated under an escaped spelling of its name,
    /// and redirect look-alikes of loopback are refused with a 4xx, never registered and never a 5xx. Finding:
    /// <c>http://[::1]x/cb</c> was registered, Uri reading its host as [::1] while browsers refuse the string.
    /// </summary>
    [Theory]
    [InlineData("{\"redirect_uris\": [\"https://app.example/cb\"] /* comment */}")]
    [InlineData("{\"redirect_uris\": [\"https://app.example/cb\"],}")]
    [InlineData("{\"redirect_uris\": [\"https://app.example/cb\",]}")]
    [InlineData("{\"redirect_uris\": [\"https://a.example/cb\"], \"redirect\\u005furis\": [\"https://evil.example/cb\"]}")]
    [InlineData("{\"redirect_uris\": [\"http://localhost./cb\"]}")]
    [InlineData("{\"redirect_uris\": [\"http://127.0.0.1:99999/cb\"]}")]
    [InlineData("{\"redirect_uris\": [\"http://[::1]x/cb\"]}")]
    [InlineData("{\"redirect_uris\": [\"https://app.example/cb\"], \"client_name\": \"x\", \"n\": 1e999999999, \"scope\": 1e999999999}")]
    public async Task LenientJsonAndLoopbackLookAlikesAreRefusedWithoutAServerError(string body)
    {
        using var http = server.CreateClient();

        var response = await Registrations.PostRawAsync(http, body, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>
    /// Phishing by name: a registered client may call itself exactly what a configured (first-party) client is called.
    /// The consent page does add "This app is from attacker.example" and asks every time, but the headline reads
    /// "Allow Demo web app to access your account?". Refusing names equal to a configured client's display name would
    /// be bypassed by a homoglyph ("Demo web аpp" with a Cyrillic а) or a near spelling, so a real fix needs a
    /// confusable-skeleton comparison (Unicode TR39) or a visible "unverified" badge beside self-chosen names.
    /// </summary>
    [Fact(Skip = "finding: a registered client may take a configured client's display name (\"Demo web app\"); only the host line on the consent page tells them apart")]
    public async Task AClientNameImpersonatingAConfiguredClientIsRefused()
    {
        using var http = server.CreateClient();
        var metadata = Registrations.Metadata("https://attacker.example/callback");
        metadata["client_name"] = "Demo web app";

        var response = await Registrations.PostAsync(http, metadata);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
