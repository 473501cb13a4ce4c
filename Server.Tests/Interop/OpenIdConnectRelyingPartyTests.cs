using System.Net;
using System.Security.Claims;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Interop;

/// <summary>
/// Microsoft's OpenID Connect handler, a strict relying party, signs a person in against this server — with its
/// defaults, so the authorization response comes back by response_mode=form_post.
/// </summary>
public sealed class OpenIdConnectRelyingPartyTests(ServerFactory server) : IClassFixture<ServerFactory>, IAsyncLifetime
{
    private WebApplication? app;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(o =>
            {
                o.Authority = "http://localhost/";
                o.RequireHttpsMetadata = false;
                o.ClientId = OAuth.Web;
                o.ClientSecret = OAuth.WebSecret;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.Scope.Add("profile");
                o.Scope.Add("email");
                o.SaveTokens = true;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.MapInboundClaims = false;
                o.BackchannelHttpHandler = server.Server.CreateHandler();
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;

                // The handler drops acr from the sign-in by default; this app judges it.
                o.ClaimActions.Remove("acr");

                // A page of the app that needs a second factor asks for one with acr_values (pushed with the rest).
                o.Events.OnRedirectToIdentityProvider = context =>
                {
                    if (context.Properties.Items.TryGetValue("acr", out var acr))
                    {
                        context.ProtocolMessage.AcrValues = acr;
                    }

                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorization();
        app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/secure", async (HttpContext context) =>
            $"{context.User.FindFirstValue("sub")}|{context.User.FindFirstValue("name")}|{context.User.FindFirstValue("email")}|{await context.GetTokenAsync("access_token") is not null}")
            .RequireAuthorization();
        app.MapGet("/payments", async (HttpContext context) =>
        {
            if (context.User.FindFirstValue("acr") != "mfa")
            {
                var properties = new AuthenticationProperties { RedirectUri = "/payments" };
                properties.Items["acr"] = "mfa";
                await context.ChallengeAsync(OpenIdConnectDefaults.AuthenticationScheme, properties);
                return "";
            }

            return string.Join(' ', context.User.FindAll("amr").Select(c => c.Value));
        });
        await app.StartAsync();
    }

    public async Task DisposeAsync() => await app!.DisposeAsync();

    [Fact]
    public async Task RelyingPartySignsAliceInEndToEnd()
    {
        var cookies = new CookieContainerHandler(app!.GetTestServer().CreateHandler());
        using var rp = new HttpClient(cookies) { BaseAddress = new Uri("http://localhost:5002/") };

        var challenge = await rp.GetAsync("/secure");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.Equal("http://localhost/connect/authorize", authorize.GetLeftPart(UriPartial.Path));

        // Discovery advertises PAR, so the handler pushed the request (PKCE, form_post and all) by itself: the
        // browser carries only the client and the request_uri (RFC 9126). The form_post page below and the
        // code exchange (PKCE is required) show the pushed parameters were used.
        var query = OAuth.Query(authorize);
        Assert.Equal(["client_id", "request_uri"], query.Keys.Where(k => !k.StartsWith("x-client-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", query["request_uri"], StringComparison.Ordinal);
        using var idp = server.CreateBrowser();
        var page = await FormPostPageAsync(idp, authorize.PathAndQuery);

        // The page may run scripts from this server only, none inline, and nothing may frame or cache it.
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(page.Headers.CacheControl?.NoStore);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var document = await Browser.HtmlAsync(page);
        var scripts = document.Scripts;
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.True(string.IsNullOrWhiteSpace(s.Text) && s.Source is { Length: > 0 }, "inline script: " + s.OuterHtml));
        var script = await idp.GetAsync(new Uri(scripts[0].Source!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);

        // What the browser's auto-submit does: post the form, as it is, to the app's callback.
        var form = document.Forms.Single();
        Assert.Equal("post", form.Method, ignoreCase: true);
        Assert.Equal("http://localhost:5002/signin-oidc", form.Action);
        var fields = form.Elements.OfType<AngleSharp.Html.Dom.IHtmlInputElement>().Where(i => i.Type == "hidden")
            .Select(i => KeyValuePair.Create(i.Name!, i.Value)).ToList();
        Assert.Contains(fields, f => f.Key == "code");
        Assert.Contains(fields, f => f.Key == "iss" && f.Value == "http://localhost/");
        var signedIn = await rp.PostAsync("/signin-oidc", new FormUrlEncodedContent(fields));
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        var secure = await rp.GetAsync(signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        var parts = (await secure.Content.ReadAsStringAsync()).Split('|');
        Assert.False(string.IsNullOrEmpty(parts[0]));
        Assert.Equal("Alice Example", parts[1]);
        Assert.Equal("alice@example.com", parts[2]);
        Assert.Equal("True", parts[3]);
    }

    [Fact]
    public async Task RelyingPartyAskingForMfaGetsItOnlyAfterTheSecondFactor()
    {
        var name = await People.NewUserAsync(server, "rp-mfa");
        var cookies = new CookieContainerHandler(app!.GetTestServer().CreateHandler());
        using var rp = new HttpClient(cookies) { BaseAddress = new Uri("http://localhost:5002/") };
        using var idp = server.CreateBrowser();
        await People.SignInAsync(idp, name, People.NewUserPassword, "/");

        var challenge = await rp.GetAsync("/payments");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var enrol = await idp.GetAsync(challenge.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, enrol.StatusCode);
        Assert.StartsWith("/Account/Manage/TwoFactor?ReturnUrl=", enrol.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var page = await idp.GetAsync(enrol.Headers.Location.OriginalString);
        var key = (await Browser.HtmlAsync(page)).QuerySelector("#shared-key")!.TextContent;
        var enrolled = await idp.SubmitFormAsync(page, new Dictionary<string, string> { ["Code"] = People.Totp(key, DateTimeOffset.UtcNow) });
        var back = (await Browser.HtmlAsync(enrolled)).QuerySelector("a#continue")!.GetAttribute("href")!;
        var formPost = await FormPostPageAsync(idp, back);

        var fields = (await Browser.HtmlAsync(formPost)).Forms.Single().Elements.OfType<AngleSharp.Html.Dom.IHtmlInputElement>()
            .Where(i => i.Type == "hidden").Select(i => KeyValuePair.Create(i.Name!, i.Value)).ToList();
        var signedIn = await rp.PostAsync("/signin-oidc", new FormUrlEncodedContent(fields));
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        var payments = await rp.GetAsync(signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, payments.StatusCode);
        Assert.Equal("pwd otp mfa", await payments.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FormPostPageEncodesWhatItEchoes()
    {
        using var idp = server.CreateBrowser();
        var request = OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge, "openid");
        request["response_mode"] = "form_post";
        request["state"] = "\"><script>alert(1)</script><b a='&";
        var page = await FormPostPageAsync(idp, OAuth.AuthorizeUrl(request));
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        var state = (await Browser.HtmlAsync(page)).QuerySelector("input[name=state]") as AngleSharp.Html.Dom.IHtmlInputElement;
        Assert.Equal(request["state"], state?.Value);
    }

    [Fact]
    public async Task AnErrorSentByFormPostIsTheSameSafePage()
    {
        using var idp = server.CreateBrowser();
        var request = OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge, "openid");
        request["response_mode"] = "form_post";
        request["prompt"] = "none";
        var page = await idp.GetAsync(OAuth.AuthorizeUrl(request));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("unsafe-inline", string.Join(";", page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        var document = await Browser.HtmlAsync(page);
        Assert.All(document.Scripts, s => Assert.True(string.IsNullOrWhiteSpace(s.Text)));
        Assert.Equal("login_required", (document.QuerySelector("input[name=error]") as AngleSharp.Html.Dom.IHtmlInputElement)?.Value);
    }

    /// <summary>Signs in (and consents) through the server's pages until it answers with the form_post page.</summary>
    private static async Task<HttpResponseMessage> FormPostPageAsync(Browser idp, string authorizeUrl)
    {
        var response = await idp.GetAsync(authorizeUrl);
        for (var step = 0; step < 8; step++)
        {
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                var location = response.Headers.Location!;
                response = await idp.GetAsync(location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
                continue;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var document = await Browser.HtmlAsync(response);
            if (document.QuerySelector("form[data-form-post]") is not null)
            {
                return response;
            }

            response = response.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/Account/Login", StringComparison.OrdinalIgnoreCase)
                ? await idp.SubmitFormAsync(response, new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = ServerFactory.AlicePassword })
                : await idp.SubmitFormAsync(response, button: ("consent", "accept"));
        }

        throw new InvalidOperationException("The authorization flow did not end on a form_post page.");
    }

    /// <summary>Keeps cookies for the relying party, like a browser would, without following redirects.</summary>
    private sealed class CookieContainerHandler : DelegatingHandler
    {
        private readonly CookieContainer jar = new();

        public CookieContainerHandler(HttpMessageHandler inner) => InnerHandler = inner;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var header = jar.GetCookieHeader(request.RequestUri!);
            if (header.Length > 0)
            {
                request.Headers.Add("Cookie", header);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var values))
            {
                foreach (var value in values)
                {
                    jar.SetCookies(request.RequestUri!, value);
                }
            }

            return response;
        }
    }
}
