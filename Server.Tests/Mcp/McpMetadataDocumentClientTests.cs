using System.Diagnostics;
using System.Globalization;
using IdentityServer.Tests.Infrastructure;
using ModelContextProtocol.Authentication;

namespace IdentityServer.Tests.Mcp;

/// <summary>
/// MCP clients nobody declared, known only by their client ID metadata document: the official MCP C# client signs
/// in with the document's URL as its client_id and a loopback redirect on a port of its choosing. A document that
/// lies, is too big, too slow or lives on a private address stops the person on an error page: never a redirect to
/// the client, a 5xx or a hang.
/// </summary>
public sealed class McpMetadataDocumentClientTests(McpMetadataDocumentClientTests.Hosts hosts) : IClassFixture<McpMetadataDocumentClientTests.Hosts>
{
    /// <summary>The redirect the MCP client listens on; its document lists it without a port (RFC 8252 §7.3).</summary>
    private const string SdkRedirect = "http://127.0.0.1:33419/callback";
    private const string PortlessRedirect = "http://127.0.0.1/callback";

    [Fact]
    public async Task AClientKnownOnlyByItsDocumentSignsInWithAnyLoopbackPortAndItsToolSeesAlice()
    {
        var document = hosts.Documents.Publish(hosts.Documents.NewUrl(), [PortlessRedirect]);
        using var cancel = new CancellationTokenSource(McpSdkClient.Patience);
        using var person = new BrowserStandIn(hosts.Identity);
        using var sdk = new McpSdkClient();

        var sub = await sdk.WhoAmIAsync(hosts.Mcp.Url, Options(document, person), cancel.Token);

        Assert.Equal(document, OAuth.Query(Assert.Single(person.AuthorizationRequests))["client_id"]);
        Assert.Equal(hosts.Mcp.Url, sdk.FormSentTo(hosts.Issuer + "connect/token")["resource"]);
        Assert.StartsWith(SdkRedirect + "?", person.Redirect!.AbsoluteUri, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(sub));
        Assert.True(hosts.Documents.Fetches(document) >= 1);
    }

    [Fact]
    public async Task ADocumentWhoseClientIdIsNotItsOwnUrlStopsOnAnErrorPage()
    {
        var url = hosts.Documents.NewUrl();
        hosts.Documents.Publish(url, [PortlessRedirect], clientId: hosts.Documents.NewUrl("someone-else"));
        await AssertStopsOnAnErrorPageAsync(url);
    }

    [Fact]
    public async Task ARedirectTheDocumentDoesNotListStopsOnAnErrorPage()
    {
        var url = hosts.Documents.Publish(hosts.Documents.NewUrl(), ["http://127.0.0.1/elsewhere"]);
        await AssertStopsOnAnErrorPageAsync(url);
    }

    [Fact]
    public async Task AnOversizedDocumentStopsOnAnErrorPage()
    {
        var url = hosts.Documents.NewUrl();
        var padding = new string('x', Hosts.MaxDocumentBytes + 1);
        hosts.Documents.PublishRaw(url, $$"""{"client_id":"{{url}}","client_name":"{{padding}}","redirect_uris":["{{PortlessRedirect}}"],"token_endpoint_auth_method":"none"}""");
        await AssertStopsOnAnErrorPageAsync(url);
    }

    [Fact]
    public async Task ADocumentThatNeverFinishesStopsOnAnErrorPageOnceTheFetchTimesOut()
    {
        var url = hosts.Documents.NewUrl();
        hosts.Documents.PublishSlow(url);
        var clock = Stopwatch.StartNew();
        await AssertStopsOnAnErrorPageAsync(url);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task ADocumentOnAPrivateAddressIsRefusedWithoutBeingFetched()
    {
        using var person = new BrowserStandIn(hosts.Identity);
        using var cancel = new CancellationTokenSource(McpSdkClient.Patience);
        var request = OAuth.CodeRequest("https://10.0.0.1/client.json", SdkRedirect, OAuth.Pkce().Challenge, "openid");
        request["resource"] = hosts.Mcp.Url;

        await person.FollowAsync(new Uri(hosts.Identity.ClientOptions.BaseAddress, OAuth.AuthorizeUrl(request)), cancel.Token);

        AssertErrorPage(person);
    }

    private async Task AssertStopsOnAnErrorPageAsync(string document)
    {
        using var cancel = new CancellationTokenSource(McpSdkClient.Patience);
        using var person = new BrowserStandIn(hosts.Identity);
        using var sdk = new McpSdkClient();

        await Assert.ThrowsAnyAsync<Exception>(() => sdk.WhoAmIAsync(hosts.Mcp.Url, Options(document, person), cancel.Token));

        Assert.False(cancel.IsCancellationRequested, "the client gave up waiting");
        Assert.Single(person.AuthorizationRequests);
        AssertErrorPage(person);
        Assert.DoesNotContain(sdk.Sent, s => s.Request.RequestUri!.AbsolutePath == "/connect/token");
    }

    private static void AssertErrorPage(BrowserStandIn person)
    {
        Assert.Null(person.Redirect);
        Assert.NotNull(person.Page);
        Assert.InRange((int)person.Page.StatusCode, 400, 499);
        Assert.Null(person.Page.Headers.Location);
        Assert.Contains("client", person.PageText, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The SDK takes only an https <see cref="ClientOAuthOptions.ClientMetadataDocumentUri"/>; a plain-http loopback
    /// document is given to it as its client id, which it sends as it is.
    /// </summary>
    private static ClientOAuthOptions Options(string document, BrowserStandIn person) => new()
    {
        ClientId = document,
        RedirectUri = new Uri(SdkRedirect),
        AuthorizationCallbackHandler = person.HandleAsync,
    };

    /// <summary>The hosts, with metadata documents on (plain-http loopback ones allowed), a short fetch timeout and size cap.</summary>
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
            server.Settings["IdentityServer:Resources:0:AllowMetadataDocumentClients"] = "true";
        }
    }
}
