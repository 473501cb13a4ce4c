using System.Net;
using System.Security.Claims;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests;

/// <summary>Microsoft's OpenID Connect handler, a strict relying party, signs a person in against this server.</summary>
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
                o.ResponseMode = "query";
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
            });
        builder.Services.AddAuthorization();
        app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/secure", async (HttpContext context) =>
            $"{context.User.FindFirstValue("sub")}|{context.User.FindFirstValue("name")}|{context.User.FindFirstValue("email")}|{await context.GetTokenAsync("access_token") is not null}")
            .RequireAuthorization();
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
        Assert.Contains("code_challenge_method=S256", authorize.Query, StringComparison.Ordinal);

        using var idp = server.CreateBrowser();
        var callback = await OAuth.AuthorizeAsync(idp, OAuth.Query(authorize).ToDictionary(p => p.Key, p => (string?)p.Value));
        Assert.Equal("http://localhost:5002/signin-oidc", callback.GetLeftPart(UriPartial.Path));

        var signedIn = await rp.GetAsync(callback.PathAndQuery);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        var secure = await rp.GetAsync(signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        var parts = (await secure.Content.ReadAsStringAsync()).Split('|');
        Assert.False(string.IsNullOrEmpty(parts[0]));
        Assert.Equal("Alice Example", parts[1]);
        Assert.Equal("alice@example.com", parts[2]);
        Assert.Equal("True", parts[3]);
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
