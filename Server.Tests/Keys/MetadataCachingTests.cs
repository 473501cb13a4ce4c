using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Server;
using static IdentityServer.Tests.Keys.Rotation;

namespace IdentityServer.Tests.Keys;

/// <summary>Discovery and the JWKS: cacheable for less than the propagation period, with an ETag, and served from memory.</summary>
public sealed class MetadataCachingTests
{
    private static ServerFactory CountingServer(Counter counter)
    {
        var server = new ServerFactory();
        server.TestServices.Add(services => services.AddOpenIddict().AddServer(s =>
            s.AddEventHandler<OpenIddictServerEvents.HandleJsonWebKeySetRequestContext>(h => h.UseInlineHandler(_ =>
            {
                Interlocked.Increment(ref counter.Count);
                return default;
            }).SetOrder(int.MinValue))));
        return server;
    }

    [Theory]
    [InlineData("/.well-known/jwks")]
    [InlineData("/.well-known/openid-configuration")]
    public async Task AnswersCarryMaxAgeAndAnETagThatGets304(string path)
    {
        using var server = new ServerFactory();
        using var http = server.CreateClient();
        var first = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), first.Headers.CacheControl!.MaxAge);
        Assert.True(first.Headers.CacheControl.Public);
        Assert.False(first.Headers.CacheControl.NoStore);
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        var body = await first.Content.ReadAsStringAsync();

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(etag);
        var notModified = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var other = new HttpRequestMessage(HttpMethod.Get, path);
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        var full = await http.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal(body, await full.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheJwksIsServedFromMemoryUntilTheKeysChange()
    {
        var counter = new Counter();
        using var server = CountingServer(counter);
        using var http = server.CreateClient();
        var etag = (await http.GetAsync("/.well-known/jwks")).Headers.ETag!;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(etag, (await http.GetAsync("/.well-known/jwks")).Headers.ETag);
        }

        Assert.Equal(1, counter.Count);

        // A key announced: the next answer is built afresh, with the new key and a new ETag, and a client
        // revalidating with the old ETag gets the new document.
        var announced = Assert.Single(await RotateAsync(server, immediately: false));
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/.well-known/jwks");
        revalidate.Headers.IfNoneMatch.Add(etag);
        var changed = await http.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Contains(announced.Kid, await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, counter.Count);
    }

    [Fact]
    public async Task WithoutAConfiguredIssuerEachHostGetsItsOwnDocument()
    {
        using var server = new ServerFactory();
        using var http = server.CreateClient();
        foreach (var host in (string[])["localhost", "127.0.0.1", "localhost"])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
            request.Headers.Host = host;
            using var discovery = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync());
            Assert.Equal($"http://{host}/", discovery.RootElement.GetProperty("issuer").GetString());
        }
    }

    [Fact]
    public async Task OtherRequestsAreNotCached()
    {
        using var server = new ServerFactory();
        using var http = server.CreateClient();
        var post = await http.PostAsync("/.well-known/openid-configuration", new FormUrlEncodedContent([]));
        Assert.Null(post.Headers.ETag);
        var query = await http.GetAsync("/.well-known/jwks?x=1");
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Null(query.Headers.ETag);
    }

    private sealed class Counter
    {
        public int Count;
    }
}
