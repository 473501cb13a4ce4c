using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.External;

/// <summary>GitHub and Google cannot be reached from here: their presets are checked through configuration.</summary>
public sealed class ExternalProviderConfigurationTests
{
    /// <summary>The demo server with one OpenID Connect provider, "corp", at this issuer.</summary>
    private static ServerFactory WithGenericProvider(string issuer)
    {
        var server = new ServerFactory();
        server.Settings["IdentityServer:External:Providers:0:Name"] = "corp";
        server.Settings["IdentityServer:External:Providers:0:Issuer"] = issuer;
        server.Settings["IdentityServer:External:Providers:0:ClientId"] = "id";
        return server;
    }

    [Theory]
    [InlineData("GitHub", "ClientSecret")]
    [InlineData("Google", "ClientSecret")]
    public void APresetWithoutItsSecretStopsStartUpNamingTheKey(string preset, string missing)
    {
        using var server = new ServerFactory();
        server.Settings[$"IdentityServer:External:{preset}:ClientId"] = "registered-client-id";
        var error = Assert.ThrowsAny<Exception>(() => server.CreateClient());
        Assert.Contains($"IdentityServer:External:{preset}:{missing}", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Name", "Bad Name!", "IdentityServer:External:Providers:0:Name")]
    [InlineData("Issuer", "not-a-url", "IdentityServer:External:Providers:0:Issuer")]
    public void ABadGenericProviderStopsStartUpNamingTheKey(string field, string value, string key)
    {
        using var server = WithGenericProvider("https://login.example.com/");
        server.Settings[$"IdentityServer:External:Providers:0:{field}"] = value;
        Assert.Contains(key, Assert.ThrowsAny<Exception>(() => server.CreateClient()).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredPresetsShowOneButtonEach()
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:External:GitHub:ClientId"] = "gh-id";
        server.Settings["IdentityServer:External:GitHub:ClientSecret"] = "gh-secret";
        server.Settings["IdentityServer:External:Google:ClientId"] = "g-id";
        server.Settings["IdentityServer:External:Google:ClientSecret"] = "g-secret";
        using var browser = server.CreateBrowser();
        var page = await Browser.HtmlAsync(await browser.GetAsync("/Account/Login"));
        Assert.Equal(["github", "google"], page.QuerySelectorAll("button[data-provider]").Select(b => b.GetAttribute("data-provider")));
    }

    [Fact]
    public async Task AProviderThatCannotBeReachedIsAFriendlyError()
    {
        using var server = WithGenericProvider("http://127.0.0.1:9/");
        using var browser = server.CreateBrowser();
        var login = await browser.GetAsync("/Account/Login");
        var token = (await Browser.HtmlAsync(login)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        // Nothing listens on the discard port: the provider's discovery document never loads.
        var response = await browser.PostFormAsync("/Account/External", new Dictionary<string, string> { ["provider"] = "corp", ["__RequestVerificationToken"] = token });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/ExternalError?provider=corp&reason=unreachable", response.Headers.Location!.OriginalString);
        var page = await browser.GetAsync(response.Headers.Location.OriginalString);
        Assert.Contains("could not be reached", (await Browser.HtmlAsync(page)).Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoProviderNoButtonAndUnknownProviderIsAFriendlyError()
    {
        using var server = new ServerFactory();
        using var browser = server.CreateBrowser();
        var login = await browser.GetAsync("/Account/Login");
        Assert.Empty((await Browser.HtmlAsync(login)).QuerySelectorAll("button[data-provider]"));
        var token = (await Browser.HtmlAsync(login)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await browser.PostFormAsync("/Account/External", new Dictionary<string, string> { ["provider"] = "nope", ["__RequestVerificationToken"] = token });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/ExternalError", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/callback/login/nope?code=x&state=y")).StatusCode);
    }
}
