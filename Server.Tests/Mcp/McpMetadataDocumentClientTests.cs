using System.Diagnostics;
using System.Globalization;
using System.Net;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Authentication;

namespace IdentityServer.Tests.Mcp;

/// <summary>
/// MCP clients nobody declared, known only by their client ID metadata document: the official MCP C# client signs
/// in with the document's URL as its client_id and a loopback redirect on a port of its choosing. A document that
/// lies, is too big, too slow or lives on a private address stops the person on an error page that says why:
/// never a redirect to the client, a 5xx or a hang, and the client never reaches the token endpoint.
/// </summary>
public sealed class McpMetadataDocumentClientTests(McpMetadataDocumentClientTests.Hosts hosts) : IClassFixture<McpMetadataDocumentClientTests.Hosts>
{
    /// <summary>The redirect the MCP client listens on; its document lists it without a port (RFC 8252 §7.3).</summary>
    private const string SdkRedirect = "http://127.0.0.1:33419/callback";

    [Fact]
    public async Task AClientKnownOnlyByItsDocumentSignsInOnAnyLoopbackPortAndItsToolSeesAlice()
    {
        var document = Publish(url => ClientDocuments.Json(url, [ClientDocuments.Callback], name: "Test MCP client"));
        using var cancel = new CancellationTokenSource(McpSdkClient.Patience);
        using var person = new BrowserStandIn(hosts.Identity);
        using var sdk = new McpSdkClient();

        var sub = await sdk.WhoAmIAsync(hosts.Mcp.Url, Options(document, person), cancel.Token);

        Assert.Equal(document, OAuth.Query(Assert.Single(person.AuthorizationRequests))["client_id"]);
        Assert.StartsWith(SdkRedirect + "?", person.Redirect!.AbsoluteUri, StringComparison.Ordinal);
        var tokenRequest = sdk.FormSentTo(hosts.Issuer + "connect/token");
        Assert.Equal(document, tokenRequest["client_id"]);
        Assert.Equal(hosts.Mcp.Url, tokenRequest["resource"]);
        Assert.Equal(await hosts.AliceIdAsync(), sub);
        Assert.Equal(1, hosts.Documents.Hits(new Uri(document).AbsolutePath));
    }

    /// <summary>
    /// The SDK takes a document only over https: served by an https host on a loopback port whose certificate the
    /// identity server is told to trust (the one trust a test can add), the SDK names it by
    /// <see cref="ClientOAuthOptions.ClientMetadataDocumentUri"/> and signs in with it, registering nothing.
    /// </summary>
    [Fact]
    public async Task GivenItsClientMetadataDocumentUriTheSdkSignsInWithTheHttpsDocumentAsItsClientId()
    {
        await using var https = await DocumentHost.StartAsync(TestDocumentCertificate.Certificate);
        var document = https.Serve("/sdk-client.json", ClientDocuments.Json(https.Origin + "/sdk-client.json", [ClientDocuments.Callback], name: "Test MCP client"));
        using var cancel = new CancellationTokenSource(McpSdkClient.Patience);
        using var person = new BrowserStandIn(hosts.Identity);
        using var sdk = new McpSdkClient();

        var sub = await sdk.WhoAmIAsync(hosts.Mcp.Url, new ClientOAuthOptions
        {
            ClientMetadataDocumentUri = new Uri(document),
            RedirectUri = new Uri(SdkRedirect),
            AuthorizationCallbackHandler = person.HandleAsync,
        }, cancel.Token);

        Assert.StartsWith("https://", document, StringComparison.Ordinal);
        Assert.Equal(document, OAuth.Query(Assert.Single(person.AuthorizationRequests))["client_id"]);
        Assert.Equal(document, sdk.FormSentTo(hosts.Issuer + "connect/token")["client_id"]);
        Assert.DoesNotContain(sdk.Sent, s => s.Request.RequestUri!.AbsolutePath == "/connect/register");
        Assert.Equal(await hosts.AliceIdAsync(), sub);
        Assert.Equal(1, https.Hits("/sdk-client.json"));
    }

    [Fact]
    public async Task DiscoveryTellsAnMcpClientThatDocumentsAndPublicClientsAreWelcome()
    {
        using var identity = hosts.IdentityClient();
        foreach (var path in (string[])["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"])
        {
            var metadata = await OAuth.JsonAsync(await identity.GetAsync(path));
            Assert.True(metadata.GetProperty("client_id_metadata_document_supported").GetBoolean(), path);
            Assert.Contains("none", metadata.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(m => m.GetString()));
        }
    }

    [Fact]
    public async Task ADocumentClientAskingForAResourceNotOpenToSuchClientsIsSentBackWithInvalidTarget()
    {
        var document = Publish(url => ClientDocuments.Json(url, [ClientDocuments.Callback]));
        using var cancel = new CancellationTokenSource(McpSdkClient.Patience);
        using var person = new BrowserStandIn(hosts.Identity);
        var request = OAuth.CodeRequest(document, SdkRedirect, OAuth.Pkce().Challenge, "openid");
        request["resource"] = McpHosts.OtherResource;

        await person.FollowAsync(new Uri(hosts.Identity.ClientOptions.BaseAddress!, OAuth.AuthorizeUrl(request)), cancel.Token);

        Assert.Equal("invalid_target", OAuth.Query(person.Redirect!)["error"]);
    }

    [Fact]
    public async Task ADocumentWhoseClientIdIsNotItsOwnUrlStopsOnAnErrorPage()
    {
        var document = Publish(url => ClientDocuments.Json(url + "-someone-else", [ClientDocuments.Callback]));
        await AssertStopsOnAnErrorPageAsync(document, "is not exactly the URL it was fetched from");
    }

    [Fact]
    public async Task ARedirectTheDocumentDoesNotListStopsOnAnErrorPage()
    {
        var document = Publish(url => ClientDocuments.Json(url, ["http://127.0.0.1/elsewhere"]));
        await AssertStopsOnAnErrorPageAsync(document, "redirect_uri", error: "invalid_request");
    }

    [Fact]
    public async Task AnOversizedDocumentStopsOnAnErrorPage()
    {
        var document = Publish(url => ClientDocuments.Json(url, [ClientDocuments.Callback], extra: new() { ["padding"] = new string('x', Hosts.MaxDocumentBytes) }));
        await AssertStopsOnAnErrorPageAsync(document, $"is larger than {Hosts.MaxDocumentBytes} bytes");
    }

    [Fact]
    public async Task ADocumentThatDoesNotArriveInTimeStopsOnAnErrorPageWithoutAHang()
    {
        var document = Publish(url => ClientDocuments.Json(url, [ClientDocuments.Callback]), delay: TimeSpan.FromSeconds(20));
        var clock = Stopwatch.StartNew();
        await AssertStopsOnAnErrorPageAsync(document, "did not arrive within 1 s");
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    /// <summary>The address is refused when connecting, before any packet leaves: nothing is sent to 10.0.0.1.</summary>
    [Fact]
    public async Task ADocumentOnAPrivateAddressStopsOnAnErrorPage() =>
        await AssertStopsOnAnErrorPageAsync("https://10.0.0.1/client.json", "resolves to 10.0.0.1, a private");

    private string Publish(Func<string, string> document, TimeSpan? delay = null)
    {
        var path = $"/client-{Guid.NewGuid():N}.json";
        return hosts.Documents.Serve(path, document(hosts.Documents.Origin + path), delay: delay);
    }

    private async Task AssertStopsOnAnErrorPageAsync(string document, string reason, string error = "invalid_client")
    {
        using var cancel = new CancellationTokenSource(McpSdkClient.Patience);
        using var person = new BrowserStandIn(hosts.Identity);
        using var sdk = new McpSdkClient();

        var refused = await Assert.ThrowsAsync<McpException>(() => sdk.WhoAmIAsync(hosts.Mcp.Url, Options(document, person), cancel.Token));

        Assert.Contains("null authorization result", refused.Message, StringComparison.Ordinal);
        Assert.Single(person.AuthorizationRequests);
        Assert.Null(person.Redirect);
        Assert.Equal(HttpStatusCode.BadRequest, person.Page!.StatusCode);
        Assert.Null(person.Page.Headers.Location);
        Assert.Contains(error, person.PageText, StringComparison.Ordinal);
        Assert.Contains(reason, person.PageText, StringComparison.Ordinal);
        Assert.DoesNotContain(sdk.Sent, s => s.Request.RequestUri!.AbsolutePath == "/connect/token");
    }

    /// <summary>
    /// The SDK takes only an https <see cref="ClientOAuthOptions.ClientMetadataDocumentUri"/>, and this server trusts
    /// no test certificate: a plain-http loopback document's URL is given to it as its client id, which it sends as
    /// it is, exactly as it would send the document URL.
    /// </summary>
    private static ClientOAuthOptions Options(string document, BrowserStandIn person) => new()
    {
        ClientId = document,
        RedirectUri = new Uri(SdkRedirect),
        AuthorizationCallbackHandler = person.HandleAsync,
    };

    /// <summary>The hosts, with the MCP server open to self-described clients, a 1 s fetch timeout and a 4 KB size cap.</summary>
    public sealed class Hosts : McpHosts
    {
        public const int MaxDocumentBytes = 4096;

        protected override void Configure(ServerFactory server)
        {
            server.Settings["IdentityServer:ClientMetadataDocuments:Enabled"] = "true";
            server.Settings["IdentityServer:ClientMetadataDocuments:AllowLoopbackHttp"] = "true";
            server.Settings["IdentityServer:ClientMetadataDocuments:Timeout"] = "00:00:01";
            server.Settings["IdentityServer:ClientMetadataDocuments:ConnectTimeout"] = "00:00:01";
            server.Settings["IdentityServer:ClientMetadataDocuments:MaxDocumentBytes"] = MaxDocumentBytes.ToString(CultureInfo.InvariantCulture);
            server.Settings["IdentityServer:Resources:0:AllowSelfDescribedClients"] = "true";
            server.TestServices.Add(services => services.AddSingleton(TestDocumentCertificate.Trust));
        }
    }
}
