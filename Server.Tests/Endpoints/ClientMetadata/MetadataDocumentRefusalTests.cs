using System.Diagnostics;
using System.Net;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace IdentityServer.Tests.Endpoints.ClientMetadata;

/// <summary>
/// Every document this server must not use, and every place it must not fetch from: each ends on this server's
/// error page (400, no redirect anywhere) with the reason, quickly, and leaves no client behind.
/// </summary>
public sealed class MetadataDocumentRefusalTests(MetadataDocumentServer server) : IClassFixture<MetadataDocumentServer>, IAsyncLifetime
{
    private DocumentHost documents = null!;

    public async Task InitializeAsync() => documents = await DocumentHost.StartAsync();

    public async Task DisposeAsync() => await documents.DisposeAsync();

    [Fact]
    public async Task ADocumentWhoseClientIdIsNotItsUrlIsRefused()
    {
        var url = documents.Serve("/a.json", ClientDocuments.Json(documents.Origin + "/b.json"));
        await AssertRefusedAsync(url, "is not exactly the URL it was fetched from");
    }

    [Fact]
    public async Task ARedirectUriTheDocumentDoesNotListGetsNoRedirect()
    {
        var url = documents.Serve("/listed.json", ClientDocuments.Json(documents.Origin + "/listed.json"));
        foreach (var redirect in (string[])["http://127.0.0.1/other", "https://attacker.example/callback", "http://localhost/callback"])
        {
            var body = await RefusedAsync(url, redirect);
            Assert.Contains("redirect_uri", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnOversizedDocumentIsRefusedUnreadWhetherOrNotItSaysItsLength(bool chunked)
    {
        var url = documents.Origin + "/big.json";
        documents.Serve("/big.json", ClientDocuments.Json(url, name: null, extra: new() { ["padding"] = new string('x', 40_000) }), chunked: chunked);
        await AssertRefusedAsync(url, "is larger than 32768 bytes");
    }

    [Fact]
    public async Task ASlowDocumentIsGivenUpAfterTheTimeout()
    {
        var url = documents.Origin + "/slow.json";
        documents.Serve("/slow.json", ClientDocuments.Json(url), delay: TimeSpan.FromSeconds(20));
        var clock = Stopwatch.StartNew();
        await AssertRefusedAsync(url, "did not arrive within 1 s");
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("https://10.0.0.1/client.json", "10.0.0.1")]
    [InlineData("https://169.254.169.254/latest/meta-data/client", "169.254.169.254")]
    [InlineData("https://[fd00:ec2::254]/client.json", "fd00:ec2::254")]
    [InlineData("https://" + MetadataDocumentServer.PrivateHost + "/client.json", "10.0.0.7")]
    public async Task ADocumentOnAPrivateOrMetadataAddressIsNeverFetched(string url, string address) =>
        await AssertRefusedAsync(url, $"resolves to {address}, a private, loopback, link-local or reserved address");

    [Fact]
    public async Task ADocumentServedWithACertificateTheSystemDoesNotTrustIsRefused()
    {
        await using var https = await DocumentHost.StartAsync(TestDocumentCertificate.Certificate);
        var url = https.Serve("/self-signed.json", ClientDocuments.Json(https.Origin + "/self-signed.json"));
        await AssertRefusedAsync(url, "could not be fetched");
        Assert.Equal(0, https.Hits("/self-signed.json"));
    }

    [Fact]
    public async Task ARedirectIsNotFollowed()
    {
        var target = documents.Serve("/real.json", ClientDocuments.Json(documents.Origin + "/moved.json"));
        var url = documents.Serve("/moved.json", "", status: 302, location: target);
        await AssertRefusedAsync(url, "redirects are not followed");
        Assert.Equal(0, documents.Hits("/real.json"));
    }

    [Fact]
    public async Task ADocumentNotServedAsJsonIsRefused()
    {
        var url = documents.Origin + "/page.json";
        documents.Serve("/page.json", ClientDocuments.Json(url), contentType: "text/html");
        await AssertRefusedAsync(url, "is not served as application/json");
    }

    [Theory]
    [InlineData("client_secret_basic", "token_endpoint_auth_method")]
    [InlineData("implicit", "grant_types must be authorization_code")]
    [InlineData("secret", "carries a client secret")]
    [InlineData("http-redirect", "is not an https URI")]
    [InlineData("not-json", "is not valid JSON")]
    [InlineData("zero-width-name", "client_name must be at most")]
    [InlineData("loopback-look-alike", "is not an https URI")]
    [InlineData("spaced-redirect", "is not an https URI")]
    public async Task ADocumentAskingForWhatThisServerDoesNotAllowIsRefused(string spoil, string reason)
    {
        var url = documents.Origin + "/spoiled-" + spoil + ".json";
        var body = spoil switch
        {
            "client_secret_basic" => ClientDocuments.Json(url, extra: new() { ["token_endpoint_auth_method"] = "client_secret_basic" }),
            "implicit" => ClientDocuments.Json(url, grantTypes: ["implicit"]),
            "secret" => ClientDocuments.Json(url, extra: new() { ["client_secret"] = "s3cret" }),
            "http-redirect" => ClientDocuments.Json(url, redirectUris: ["http://tool.example/callback"]),
            "zero-width-name" => ClientDocuments.Json(url, name: "Demo\u200Bweb app"),
            "loopback-look-alike" => ClientDocuments.Json(url, redirectUris: ["http://[::1]x/callback"]),
            "spaced-redirect" => ClientDocuments.Json(url, redirectUris: [" https://tool.example/callback"]),
            _ => "{\"client_id\": ",
        };
        documents.Serve("/spoiled-" + spoil + ".json", body);
        await AssertRefusedAsync(url, reason);
    }

    [Fact]
    public async Task AUrlNotInCanonicalFormIsRefusedBeforeAnyFetch()
    {
        var url = documents.Origin + "/dir/../sneaky.json";
        documents.Serve("/sneaky.json", ClientDocuments.Json(documents.Origin + "/sneaky.json"));
        await AssertRefusedAsync(url, "canonical form");
        Assert.Equal(0, documents.Hits("/sneaky.json"));
    }

    [Fact]
    public async Task TheTokenEndpointNeverFetchesADocument()
    {
        var url = documents.Serve("/token-only.json", ClientDocuments.Json(documents.Origin + "/token-only.json"));
        using var http = server.CreateClient();
        var response = await OAuth.TokenAsync(http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = url, ["code"] = "x", ["redirect_uri"] = ClientDocuments.Callback, ["code_verifier"] = new string('v', 43),
        });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await OAuth.JsonAsync(response)).GetProperty("error").GetString());
        Assert.Equal(0, documents.Hits("/token-only.json"));
    }

    private async Task AssertRefusedAsync(string clientId, string reason)
    {
        var body = await RefusedAsync(clientId, ClientDocuments.Callback);
        Assert.Contains("invalid_client", body, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(reason), body, StringComparison.Ordinal);

        using var scope = server.Services.CreateScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(clientId));
    }

    private async Task<string> RefusedAsync(string clientId, string redirectUri)
    {
        using var browser = server.CreateBrowser();
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(clientId, redirectUri, OAuth.Pkce().Challenge, "openid")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        return await response.Content.ReadAsStringAsync();
    }
}
