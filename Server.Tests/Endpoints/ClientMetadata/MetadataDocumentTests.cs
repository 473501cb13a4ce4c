using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.ClientMetadata;

/// <summary>
/// A client whose client_id is the URL of its metadata document: this server fetches the document, treats the
/// client as what the document says (within what it allows), shows where it comes from on a consent page it
/// never skips, and keeps the document as long as its Cache-Control says, within bounds.
/// </summary>
public sealed class MetadataDocumentTests(MetadataDocumentServer server) : IClassFixture<MetadataDocumentServer>, IAsyncLifetime
{
    private DocumentHost documents = null!;

    public async Task InitializeAsync() => documents = await DocumentHost.StartAsync();

    public async Task DisposeAsync() => await documents.DisposeAsync();

    [Fact]
    public async Task AClientNamedByItsDocumentSignsAliceInOnAnyLoopbackPortAndGetsATokenForTheToolsOnly()
    {
        var clientId = documents.Serve("/clients/tool.json", ClientDocuments.Json(documents.Origin + "/clients/tool.json"));
        using var browser = server.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        const string redirectUri = "http://127.0.0.1:49152/callback";
        var request = OAuth.CodeRequest(clientId, redirectUri, challenge, "openid tools offline_access");
        request["resource"] = MetadataDocumentServer.Tools;
        var code = OAuth.Query(await OAuth.AuthorizeAsync(browser, request))["code"];

        var tokens = await browser.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = "http://localhost/connect/token", ClientId = clientId, Code = code, RedirectUri = redirectUri, CodeVerifier = verifier,
            ClientCredentialStyle = ClientCredentialStyle.PostBody, Resource = { MetadataDocumentServer.Tools },
        });
        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);
        var claims = OAuth.JwtPayload(tokens.AccessToken!);
        Assert.Equal(MetadataDocumentServer.Tools, claims["aud"].GetString());
        Assert.Equal(clientId, claims["client_id"].GetString());
        Assert.Contains("tools", claims["scope"].GetString()!.Split(' '));

        var refreshed = await browser.Http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = "http://localhost/connect/token", ClientId = clientId, RefreshToken = tokens.RefreshToken!, ClientCredentialStyle = ClientCredentialStyle.PostBody,
        });
        Assert.False(refreshed.IsError, refreshed.Error);
        Assert.Equal(MetadataDocumentServer.Tools, OAuth.JwtPayload(refreshed.AccessToken!)["aud"].GetString());

        // Consent was given, yet the next request asks again, and says where the client comes from.
        var again = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(clientId, "http://127.0.0.1:50000/callback", challenge, "openid tools")));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var page = await Browser.HtmlAsync(again);
        Assert.Equal("127.0.0.1", page.QuerySelector(".client-host")!.TextContent);
        Assert.Contains("Friendly Tool", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("form[action='/connect/consent']"));
    }

    [Fact]
    public async Task AResourceNotOpenToSelfDescribedClientsIsInvalidTarget()
    {
        var clientId = documents.Serve("/clients/payroll.json", ClientDocuments.Json(documents.Origin + "/clients/payroll.json"));
        using var browser = server.CreateBrowser();
        var request = OAuth.CodeRequest(clientId, "http://127.0.0.1:49153/callback", OAuth.Pkce().Challenge, "openid");
        request["resource"] = MetadataDocumentServer.Payroll;
        var redirect = await OAuth.AuthorizeAsync(browser, request);
        Assert.Equal("invalid_target", OAuth.Query(redirect)["error"]);
    }

    [Fact]
    public async Task AChangedDocumentTakesEffectOnlyOnceItsCacheLifetimeHasPassed()
    {
        var clientId = documents.Origin + "/clients/cached.json";
        documents.Serve("/clients/cached.json", ClientDocuments.Json(clientId), cacheControl: "public, max-age=900");
        using var browser = server.CreateBrowser();
        var request = OAuth.CodeRequest(clientId, ClientDocuments.Callback, OAuth.Pkce().Challenge, "openid");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(OAuth.AuthorizeUrl(request))).StatusCode);

        documents.Serve("/clients/cached.json", ClientDocuments.Json(clientId, redirectUris: ["http://127.0.0.1/elsewhere"]), cacheControl: "public, max-age=900");
        server.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(OAuth.AuthorizeUrl(request))).StatusCode);
        Assert.Equal(1, documents.Hits("/clients/cached.json"));

        server.Time.Advance(TimeSpan.FromMinutes(6));
        var refused = await browser.GetAsync(OAuth.AuthorizeUrl(request));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("redirect_uri", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, documents.Hits("/clients/cached.json"));
    }

    [Fact]
    public async Task DiscoveryAdvertisesDocumentsPublicClientsS256AndTheIssuerParameter()
    {
        using var http = server.CreateClient();
        var metadata = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        Assert.True(metadata.GetProperty("client_id_metadata_document_supported").GetBoolean());
        Assert.Contains("none", metadata.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["S256"], metadata.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.True(metadata.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
    }
}
