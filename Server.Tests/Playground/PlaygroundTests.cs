using System.Net;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IdentityServer.Tests.Playground;

/// <summary>The playground page on the wire: Development only, the pages' strict policy, its script from a file.</summary>
public sealed class PlaygroundTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task ThePageSendsTheStrictPolicyAndCarriesNoInlineScriptOrStyle()
    {
        using var http = server.CreateClient();
        var answer = await http.GetAsync("/playground");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var policy = string.Join(";", answer.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());

        var page = await Browser.HtmlAsync(answer);
        Assert.All(page.QuerySelectorAll("script"), script => Assert.StartsWith("/js/playground.js", script.GetAttribute("src"), StringComparison.Ordinal));
        Assert.Empty(page.QuerySelectorAll("style, [style]"));
        Assert.DoesNotContain(page.All.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        var client = page.QuerySelector("#client option[value=playground]")!;
        Assert.Contains("http://localhost:5000/playground", client.GetAttribute("data-redirect-uris"), StringComparison.Ordinal);
        Assert.Equal(page.QuerySelector("label[for=client]")!.GetAttribute("for"), page.QuerySelector("select")!.Id);

        var script = await http.GetAsync(page.QuerySelector("script")!.GetAttribute("src"));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheAuthorizeEndpointTakesThePlaygroundAsRedirectOnTheLoopbackPortItRunsOn()
    {
        using var browser = server.CreateBrowser();
        var (_, challenge) = OAuth.Pkce();
        var answer = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest("playground", "http://127.0.0.1:5189/playground", challenge, "openid profile offline_access api")));

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.StartsWith("/Account/Login", answer.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideDevelopmentThereIsNoPlayground()
    {
        await using var factory = new ServerFactory();
        factory.Settings["IdentityServer:Issuer"] = "http://id.example.test/";
        factory.Settings["IdentityServer:RequireHttps"] = "false";
        factory.Settings["IdentityServer:Keys:GenerateMissing"] = "true";
        await using var production = factory.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        using var http = production.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://id.example.test/"), AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/Account/Login")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/playground")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/playground", new FormUrlEncodedContent([]))).StatusCode);
        Assert.DoesNotContain("playground", await (await http.GetAsync("/.well-known/openid-configuration")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
