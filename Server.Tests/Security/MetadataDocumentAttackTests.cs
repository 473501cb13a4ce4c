using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using IdentityServer.ClientMetadata;
using IdentityServer.Jobs;
using IdentityServer.Tests.Endpoints.ClientMetadata;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;

namespace IdentityServer.Tests.Security;

/// <summary>
/// The review of client ID metadata documents, as an attacker: documents that break off or trickle, the same
/// new document asked for many times at once, addresses the fetcher must never reach however they are written,
/// the deny-list, names that turn the consent page's text around, keys nobody should accept, and what a
/// document client can never get (consent skipped, a look-alike loopback redirect).
/// </summary>
public sealed class MetadataDocumentAttackTests(MetadataDocumentServer server) : IClassFixture<MetadataDocumentServer>, IAsyncLifetime
{
    private const string Refused = "a private, loopback, link-local or reserved address";

    private DocumentHost documents = null!;

    public async Task InitializeAsync() => documents = await DocumentHost.StartAsync();

    public async Task DisposeAsync() => await documents.DisposeAsync();

    [Fact]
    public async Task ManyFirstRequestsForTheSameNewDocumentAtOnceAllGoOnNoneFails()
    {
        // Each request fetches (the delay lines them up), then each tries to create the same row.
        var url = documents.Origin + "/race.json";
        documents.Serve("/race.json", ClientDocuments.Json(url), delay: TimeSpan.FromMilliseconds(300));
        var browsers = Enumerable.Range(0, 6).Select(_ => server.CreateBrowser()).ToList();
        try
        {
            var responses = await Task.WhenAll(browsers.Select(b => b.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(url, ClientDocuments.Callback, OAuth.Pkce().Challenge, "openid")))))
                .WaitAsync(TimeSpan.FromSeconds(30));
            var failures = await Task.WhenAll(responses.Where(r => r.StatusCode != HttpStatusCode.Redirect).Select(async r => $"{(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}"));
            Assert.True(failures.Length == 0, string.Join("\n----\n", failures));
            Assert.All(responses, r => Assert.StartsWith("/Account/Login", r.Headers.Location!.OriginalString, StringComparison.Ordinal));
        }
        finally
        {
            browsers.ForEach(b => b.Dispose());
        }
    }

    [Theory]
    [InlineData("ended")]
    [InlineData("bad-chunk")]
    public async Task ADocumentWhoseBodyBreaksOffIsRefusedNotA500(string how)
    {
        await using var raw = new RawHost(async (stream, ct) =>
        {
            var head = how == "ended"
                ? "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"client_id\":"
                : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
        });
        var body = await RefusedAsync(raw.Origin + "/broken.json");
        Assert.Contains("could not be fetched", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyTrickledAByteAtATimeIsGivenUpAtTheTimeout()
    {
        // Headers at once (so the header timeout never fires), then the body a byte every 100 ms: the total limit ends it.
        await using var raw = new RawHost(async (stream, ct) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n"), ct);
            for (var i = 0; i < 2000; i++)
            {
                await stream.WriteAsync(" "u8.ToArray(), ct);
                await Task.Delay(100, ct);
            }
        });
        var clock = Stopwatch.StartNew();
        var body = await RefusedAsync(raw.Origin + "/trickle.json");
        Assert.Contains("did not arrive within 1 s", body, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("https://2852039166/keys")]                  // 169.254.169.254 as one number
    [InlineData("https://0xa9.0xfe.0xa9.0xfe/keys")]         // in hex
    [InlineData("https://0251.0376.0251.0376/keys")]         // in octal
    [InlineData("https://10.1/keys")]                        // 10.0.0.1, shortened
    [InlineData("https://[::ffff:169.254.169.254]/keys")]    // IPv4-mapped
    [InlineData("https://[64:ff9b::a9fe:a9fe]/keys")]        // NAT64
    [InlineData("https://[2002:a9fe:a9fe::1]/keys")]         // 6to4
    [InlineData("https://[fe80::1%25eth0]/keys")]            // link-local with a zone
    [InlineData("https://0.0.0.0/keys")]
    public async Task AJwksUriOnAPrivateAddressInAnyNotationIsNeverFetched(string jwksUri)
    {
        var url = documents.Origin + "/keys-" + Tag(jwksUri) + ".json";
        documents.Serve(new Uri(url).AbsolutePath, ClientDocuments.Json(url, extra: new() { ["token_endpoint_auth_method"] = "private_key_jwt", ["jwks_uri"] = jwksUri }));
        var body = await RefusedAsync(url);
        Assert.Contains("its jwks_uri cannot be fetched", body, StringComparison.Ordinal);
        Assert.Contains(Refused, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("oct")]
    [InlineData("private")]
    [InlineData("bad-modulus")]
    public async Task ADocumentWithSymmetricPrivateOrBrokenKeysIsRefused(string keys)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(includePrivateParameters: true);
        object key = keys switch
        {
            "oct" => new Dictionary<string, string> { ["kty"] = "oct", ["k"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)) },
            "private" => new Dictionary<string, string>
            {
                ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64UrlEncoder.Encode(p.Q.X!), ["y"] = Base64UrlEncoder.Encode(p.Q.Y!), ["d"] = Base64UrlEncoder.Encode(p.D!),
            },
            _ => new Dictionary<string, string> { ["kty"] = "RSA", ["n"] = "!!!not-base64url!!!", ["e"] = "AQAB" },
        };
        var url = documents.Origin + "/jwks-" + keys + ".json";
        documents.Serve("/jwks-" + keys + ".json", ClientDocuments.Json(url, extra: new()
        {
            ["token_endpoint_auth_method"] = "private_key_jwt", ["jwks"] = new Dictionary<string, object> { ["keys"] = new[] { key } },
        }));
        var body = await RefusedAsync(url);
        Assert.Contains("jwks ", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Friendly Tool\u202E")]        // right-to-left override: the page's own sentence after the name reads backwards
    [InlineData("\u2067Friendly Tool")]        // right-to-left isolate
    [InlineData("Friendly\u200F Tool")]        // right-to-left mark
    [InlineData("Friendly\u2028Tool")]         // line separator
    public async Task ANameThatReordersOrBreaksThePagesTextIsRefused(string name)
    {
        var url = documents.Origin + "/bidi-" + Tag(name) + ".json";
        documents.Serve(new Uri(url).AbsolutePath, ClientDocuments.Json(url, name: name));
        var body = await RefusedAsync(url);
        Assert.Contains("client_name", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientIdLongerThanTheClientIdColumnIsRefusedBeforeAnyFetch()
    {
        // OpenIddict's ClientId column holds 100 characters: PostgreSQL refused the insert (a 500); SQLite kept it.
        var path = "/" + new string('l', 120) + ".json";
        var url = documents.Serve(path, ClientDocuments.Json(documents.Origin + path));
        var body = await RefusedAsync(url);
        Assert.Contains("at most 100 characters", body, StringComparison.Ordinal);
        Assert.Equal(0, documents.Hits(path));
    }

    [Fact]
    public async Task AnExpiredDocumentThatNoLongerFetchesIsRefused()
    {
        var url = documents.Origin + "/gone.json";
        documents.Serve("/gone.json", ClientDocuments.Json(url));
        using var browser = server.CreateBrowser();
        var request = OAuth.CodeRequest(url, ClientDocuments.Callback, OAuth.Pkce().Challenge, "openid");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(OAuth.AuthorizeUrl(request))).StatusCode);

        documents.Serve("/gone.json", "", status: 404);
        server.Time.Advance(TimeSpan.FromMinutes(6));
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("answered 404", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromptNoneNeverSkipsConsentForADocumentClientEvenAfterConsent()
    {
        var url = documents.Serve("/silent.json", ClientDocuments.Json(documents.Origin + "/silent.json"));
        using var browser = server.CreateBrowser();
        Assert.Contains("code", OAuth.Query(await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(url, ClientDocuments.Callback, OAuth.Pkce().Challenge, "openid"))).Keys);

        var silent = OAuth.CodeRequest(url, ClientDocuments.Callback, OAuth.Pkce().Challenge, "openid");
        silent["prompt"] = "none";
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(silent));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var answer = OAuth.Query(response.Headers.Location!);
        Assert.False(answer.ContainsKey("code"));
        Assert.Equal("consent_required", answer["error"]);
    }

    [Theory]
    [InlineData("http://127.0.0.1.evil.example:8080/callback")]
    [InlineData("http://localhost.:8080/callback")]
    [InlineData("http://localhost:8080@evil.example/callback")]
    [InlineData("http://evil.example\\@127.0.0.1:8080/callback")]
    [InlineData("http://127.0.0.1:8080/callback/../elsewhere")]
    [InlineData("http://127.0.0.1:8080/callback#x")]
    [InlineData("http://[::1]:8080/callback")]
    [InlineData("https://127.0.0.1:8080/callback")]
    public async Task ALookAlikeOfTheDocumentsLoopbackRedirectGetsNoRedirect(string redirect)
    {
        var url = documents.Serve("/lookalike.json", ClientDocuments.Json(documents.Origin + "/lookalike.json", redirectUris: ["http://127.0.0.1/callback", "http://localhost/callback"]));
        var body = await RefusedAsync(url, redirect);
        Assert.Contains("redirect_uri", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyedDocumentClientGetsNoAnyPortLoopbackMatching()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(includePrivateParameters: false);
        var url = documents.Origin + "/keyed.json";
        documents.Serve("/keyed.json", ClientDocuments.Json(url, extra: new()
        {
            ["token_endpoint_auth_method"] = "private_key_jwt",
            ["jwks"] = new Dictionary<string, object>
            {
                ["keys"] = new[] { new Dictionary<string, string> { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64UrlEncoder.Encode(p.Q.X!), ["y"] = Base64UrlEncoder.Encode(p.Q.Y!) } },
            },
        }));
        var body = await RefusedAsync(url, "http://127.0.0.1:8080/callback");
        Assert.Contains("redirect_uri", body, StringComparison.Ordinal);

        using var browser = server.CreateBrowser();
        var exact = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(url, ClientDocuments.Callback, OAuth.Pkce().Challenge, "openid")));
        Assert.Equal(HttpStatusCode.Redirect, exact.StatusCode);
    }

    [Fact]
    public async Task AConfiguredClientWhoseIdIsAUrlIsNeverFetchedNorOverwritten()
    {
        var url = documents.Origin + "/configured.json";
        documents.Serve("/configured.json", ClientDocuments.Json(url, redirectUris: ["https://attacker.example/callback"]));
        using var configured = new ServerFactory();
        configured.DeclareClient(new TestClient(url)
        {
            Type = "public",
            RedirectUris = ["https://configured.example/callback"],
            GrantTypes = ["authorization_code"],
            Scopes = ["openid"],
        });
        using var browser = configured.CreateBrowser();

        var hijack = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(url, "https://attacker.example/callback", OAuth.Pkce().Challenge, "openid")));
        Assert.Equal(HttpStatusCode.BadRequest, hijack.StatusCode);
        Assert.Null(hijack.Headers.Location);
        var own = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(url, "https://configured.example/callback", OAuth.Pkce().Challenge, "openid")));
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
        Assert.StartsWith("/Account/Login", own.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(0, documents.Hits("/configured.json"));
    }

    [Theory]
    [InlineData("https://éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé.example/c")]
    [InlineData("https://xn--.example/c.json")]
    [InlineData("https://\u00ad.example/c.json")]
    public async Task AClientIdWhoseHostHasNoAsciiFormIsRefusedNotA500(string clientId)
    {
        using var browser = server.CreateBrowser();
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(clientId, ClientDocuments.Callback, OAuth.Pkce().Challenge, "openid")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ARefreshTokenStopsWorkingOnceItsClientsDocumentIsGoneAndExpired()
    {
        var url = documents.Origin + "/withdrawn.json";
        documents.Serve("/withdrawn.json", ClientDocuments.Json(url));
        using var browser = server.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        var code = OAuth.Query(await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(url, ClientDocuments.Callback, challenge, "openid offline_access")))["code"];
        var tokens = await OAuth.JsonAsync(await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = url, ["code"] = code, ["redirect_uri"] = ClientDocuments.Callback, ["code_verifier"] = verifier,
        }));
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;

        // The client's owner takes the document down (a compromised client, keys rotated away); its cache lifetime passes.
        documents.Serve("/withdrawn.json", "", status: 404);
        server.Time.Advance(TimeSpan.FromMinutes(30));
        var refreshed = await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = url, ["refresh_token"] = refreshToken,
        });
        Assert.NotEqual(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task AClientSomeoneSignedInWithOutlivesItsDocumentsCacheAndTheRefreshFetchesItAgain()
    {
        var url = documents.Origin + "/kept.json";
        documents.Serve("/kept.json", ClientDocuments.Json(url));
        using var browser = server.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        var code = OAuth.Query(await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(url, ClientDocuments.Callback, challenge, "openid offline_access")))["code"];
        var tokens = await OAuth.JsonAsync(await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = url, ["code"] = code, ["redirect_uri"] = ClientDocuments.Callback, ["code_verifier"] = verifier,
        }));

        server.Time.Advance(TimeSpan.FromDays(2));
        using (var scope = server.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Pruner>().PruneAsync(CancellationToken.None);
        }

        var refreshed = await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = url, ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!,
        });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(2, documents.Hits("/kept.json"));
    }

    [Fact]
    public async Task ClientRowsThatAnonymousRequestsLeftBehindDoNotOutliveTheirDocuments()
    {
        // Nobody signs in: each request names a fresh URL on a host the attacker controls, and each leaves a client row.
        var urls = Enumerable.Range(0, 20).Select(i => documents.Serve($"/spam/{i}.json", ClientDocuments.Json($"{documents.Origin}/spam/{i}.json"))).ToList();
        using (var browser = server.CreateBrowser())
        {
            foreach (var url in urls)
            {
                var response = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(url, ClientDocuments.Callback, OAuth.Pkce().Challenge, "openid")));
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            }
        }

        server.Time.Advance(TimeSpan.FromDays(2));
        using var scope = server.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<Pruner>().PruneAsync(CancellationToken.None);
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var url in urls)
        {
            Assert.Null(await applications.FindByClientIdAsync(url));
        }
    }

    internal static string Tag(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12].ToLowerInvariant();

    private async Task<string> RefusedAsync(string clientId, string redirectUri = ClientDocuments.Callback)
    {
        using var browser = server.CreateBrowser();
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(clientId, redirectUri, OAuth.Pkce().Challenge, "openid")));
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}");
        Assert.Null(response.Headers.Location);
        return body;
    }

    /// <summary>A loopback listener that reads a request's head and answers with whatever bytes a test writes, broken or slow.</summary>
    internal sealed class RawHost : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new(TimeSpan.FromSeconds(60));
        private readonly Task accepting;

        public RawHost(Func<NetworkStream, CancellationToken, Task> answer)
        {
            listener.Start();
            accepting = AcceptAsync(answer);
        }

        public string Origin => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            await accepting.WaitAsync(TimeSpan.FromSeconds(10));
            stop.Dispose();
        }

        private async Task AcceptAsync(Func<NetworkStream, CancellationToken, Task> answer)
        {
            var connections = new List<Task>();
            try
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync(stop.Token);
                    connections.Add(ServeAsync(client, answer));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }

            await Task.WhenAll(connections);
        }

        private async Task ServeAsync(TcpClient client, Func<NetworkStream, CancellationToken, Task> answer)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var head = new StringBuilder();
                    var buffer = new byte[1024];
                    while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer, stop.Token) is var n and > 0)
                    {
                        head.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }

                    await answer(stream, stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
                {
                    // The fetcher hung up, or the test ended.
                }
            }
        }
    }
}

/// <summary>Production settings for fetching (no loopback allowance), a deny-list, and made-up host names that resolve where a test says.</summary>
public sealed class MetadataDocumentAddressServer : ServerFactory
{
    public const string Denied = "denied.example";

    public MetadataDocumentAddressServer()
    {
        Settings["IdentityServer:ClientMetadataDocuments:AllowLoopbackHttp"] = "false";
        Settings["IdentityServer:ClientMetadataDocuments:Timeout"] = "00:00:01";
        Settings["IdentityServer:ClientMetadataDocuments:ConnectTimeout"] = "00:00:01";
        Settings["IdentityServer:ClientMetadataDocuments:DeniedHosts:0"] = Denied;
        Settings["IdentityServer:ClientMetadataDocuments:DeniedHosts:1"] = "*." + Denied;
        TestServices.Add(services => services.AddSingleton<HostResolver>(Resolver));
    }

    internal RecordingResolver Resolver { get; } = new();

    /// <summary><c>a-b-c-d.resolves.example</c> (or any host) resolves to what <see cref="Answers"/> says, and every question is remembered.</summary>
    internal sealed class RecordingResolver : HostResolver
    {
        public Dictionary<string, IPAddress> Answers { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Asked { get; } = [];

        public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            lock (Asked)
            {
                Asked.Add(host);
            }

            return Task.FromResult<IPAddress[]>(Answers.TryGetValue(host, out var address) ? [address] : [IPAddress.Parse("10.9.9.9")]);
        }
    }
}

/// <summary>Addresses the fetcher must refuse in production, and a deny-list that must hold however the host is written.</summary>
public sealed class MetadataDocumentAddressAttackTests(MetadataDocumentAddressServer server) : IClassFixture<MetadataDocumentAddressServer>
{
    [Theory]
    [InlineData("64:ff9b:1::a9fe:a9fe")]        // local-use NAT64 (RFC 8215) to 169.254.169.254
    [InlineData("64:ff9b:1:a9fe:a9:fe00::")]    // the same prefix, the /48 layout
    [InlineData("::ffff:0:a9fe:a9fe")]          // IPv4-translated (SIIT) 169.254.169.254
    [InlineData("2001:0:4136:e378:8000:63bf:5601:5601")] // Teredo, whose client is 169.254.169.254 (bits inverted)
    [InlineData("::ffff:127.0.0.1")]            // held already: IPv4-mapped loopback
    [InlineData("::127.0.0.1")]                 // held already: IPv4-compatible loopback
    [InlineData("64:ff9b::7f00:1")]             // held already: NAT64 loopback
    [InlineData("2002:7f00:1::1")]              // held already: 6to4 loopback
    [InlineData("127.0.0.2")]                   // held already: loopback beyond 127.0.0.1
    [InlineData("::")]                          // held already
    public async Task AHostResolvingToAnAddressThatLeadsInsideIsRefused(string address)
    {
        var host = "h" + MetadataDocumentAttackTests.Tag(address) + ".resolves.example";
        server.Resolver.Answers[host] = IPAddress.Parse(address);
        var body = await RefusedAsync($"https://{host}/client.json");
        Assert.Contains($"resolves to {IPAddress.Parse(address)}, a private, loopback, link-local or reserved address", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://denied.example./client.json")]
    [InlineData("https://sub.denied.example./client.json")]
    public async Task TheDenyListHoldsForAHostWrittenWithATrailingDot(string url)
    {
        var body = await RefusedAsync(url);
        Assert.Contains("are not accepted by this server", body, StringComparison.Ordinal);
        lock (server.Resolver.Asked)
        {
            Assert.DoesNotContain(server.Resolver.Asked, h => h.Contains(MetadataDocumentAddressServer.Denied, StringComparison.OrdinalIgnoreCase));
        }
    }

    private async Task<string> RefusedAsync(string clientId)
    {
        using var browser = server.CreateBrowser();
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(clientId, ClientDocuments.Callback, OAuth.Pkce().Challenge, "openid")));
        var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}");
        Assert.Contains("invalid_client", body, StringComparison.Ordinal);

        using var scope = server.Services.CreateScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(clientId));
        return body;
    }
}
