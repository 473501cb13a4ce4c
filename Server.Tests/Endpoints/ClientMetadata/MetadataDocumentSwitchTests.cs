using System.Net;
using System.Text.Json;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.ClientMetadata;

/// <summary>
/// Off, a URL is just an unknown client_id: nothing is fetched and discovery says nothing. On without the loopback
/// allowance (production), a loopback document is refused however it is written.
/// </summary>
public sealed class MetadataDocumentSwitchTests : IAsyncLifetime
{
    private DocumentHost documents = null!;

    public async Task InitializeAsync() => documents = await DocumentHost.StartAsync();

    public async Task DisposeAsync() => await documents.DisposeAsync();

    [Fact]
    public async Task SwitchedOffAUrlClientIdIsUnknownAndNothingIsFetchedOrAdvertised()
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:ClientMetadataDocuments:Enabled"] = "false";
        var url = documents.Serve("/off.json", ClientDocuments.Json(documents.Origin + "/off.json"));
        using var browser = server.CreateBrowser();

        var response = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(url, ClientDocuments.Callback, OAuth.Pkce().Challenge, "openid")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("client_id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, documents.Hits("/off.json"));

        var metadata = JsonDocument.Parse(await browser.Http.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        Assert.False(metadata.TryGetProperty("client_id_metadata_document_supported", out _));
    }

    [Fact]
    public async Task WithoutTheLoopbackAllowanceALoopbackDocumentIsRefusedUnfetched()
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:ClientMetadataDocuments:AllowLoopbackHttp"] = "false";
        var http = documents.Serve("/loop.json", ClientDocuments.Json(documents.Origin + "/loop.json"));
        var https = "https://" + new Uri(documents.Origin).Authority + "/loop.json";
        using var browser = server.CreateBrowser();

        foreach (var (url, reason) in new[] { (http, "is not an https URL"), (https, "resolves to 127.0.0.1") })
        {
            var response = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(url, ClientDocuments.Callback, OAuth.Pkce().Challenge, "openid")));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, documents.Hits("/loop.json"));
    }
}
