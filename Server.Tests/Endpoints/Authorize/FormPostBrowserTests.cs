using System.Security.Claims;
using System.Text.RegularExpressions;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdentityServer.Tests.Endpoints.Authorize;

/// <summary>
/// A real browser enforcing the server's Content-Security-Policy signs in to an app that uses Microsoft's
/// OpenID Connect handler with its defaults: the authorization response comes back by form_post, and the
/// page must submit itself without any inline script.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class FormPostBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string ClientId = "form-post-app";
    private const string ClientSecret = "form-post-app-secret-0123456789";

    [BrowserFact]
    public async Task TheFormPostPageSubmitsItselfUnderTheContentSecurityPolicy()
    {
        string? authority = null;
        await using var app = await StartAppAsync(() => authority!);
        var appUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";

        await using var server = new ServerFactory();
        server.DeclareClient(new TestClient(ClientId)
        {
            Type = "confidential", Secret = ClientSecret, FirstParty = true, RedirectUris = [appUrl + "signin-oidc"],
            GrantTypes = ["authorization_code"], Scopes = ["openid", "profile"],
        });
        server.UseKestrel(0);
        server.StartServer();
        authority = server.ClientOptions.BaseAddress.ToString();

        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text + " @ " + message.Location);
            }
        };
        var formPostSeen = false;
        page.Response += (_, response) =>
        {
            if (response.Url.StartsWith(authority + "connect/authorize", StringComparison.Ordinal) && response.Status == 200)
            {
                formPostSeen = true;
            }
        };

        await page.GotoAsync(appUrl + "secure");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
        await page.FillAsync("#Login", "alice");
        await page.FillAsync("#Password", ServerFactory.AlicePassword);
        await page.ClickAsync("button[type=submit]");

        // The only way from the form_post page to the app is the form submitting itself.
        await Assertions.Expect(page).ToHaveURLAsync(appUrl + "secure");
        await Assertions.Expect(page.Locator("body")).ToHaveTextAsync(new Regex("^signed in as .+ \\(Alice Example\\)$"));
        Assert.True(formPostSeen, "the authorization endpoint answered no form_post page");
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    /// <summary>An app signing people in with Microsoft's OpenID Connect handler, response mode left at its default.</summary>
    private static async Task<WebApplication> StartAppAsync(Func<string> authority)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(o =>
            {
                // Read when the handler first runs, after the server has started and its port is known.
                o.Authority = authority();
                o.RequireHttpsMetadata = false;
                o.ClientId = ClientId;
                o.ClientSecret = ClientSecret;
                o.ResponseType = "code";
                o.Scope.Add("profile");
                o.MapInboundClaims = false;

                // Plain HTTP on loopback: no Secure cookies. The app and the server share the site 127.0.0.1,
                // so Lax cookies travel with the form post.
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
            });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/secure", (HttpContext context) => $"signed in as {context.User.FindFirstValue("sub")} ({context.User.FindFirstValue("name")})").RequireAuthorization();
        await app.StartAsync();
        return app;
    }
}
