using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace IdentityServer.ClientMetadata;

/// <summary>
/// Fetches a document a client names by URL, treating everything about it as hostile: https only (plain http
/// only to loopback when allowed), no redirects, no proxy, no cookies, connect and total time limits, a size
/// cap, JSON only. The host is resolved once, every address it resolves to must be allowed, and the connection
/// goes to the address that was checked, so a second DNS answer cannot point it elsewhere.
/// </summary>
internal sealed class DocumentFetcher : IDisposable
{
    private readonly ClientMetadataOptions options;
    private readonly HostResolver resolver;
    private readonly HttpClient client;
    private readonly SemaphoreSlim slots;

    public DocumentFetcher(IOptions<ClientMetadataOptions> options, HostResolver resolver, DocumentTls tls)
    {
        this.options = options.Value;
        this.resolver = resolver;
        slots = new SemaphoreSlim(this.options.MaxConcurrentFetches);
        client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = this.options.ConnectTimeout,
            MaxResponseHeadersLength = 16,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = ConnectAsync,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => tls.IsTrusted(certificate, chain, errors) },
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = this.options.MaxDocumentBytes,
        };
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        client.DefaultRequestHeaders.UserAgent.ParseAdd("IdentityServer-ClientMetadata/1.0");
    }

    /// <summary>Whether this server would fetch from the URL at all (scheme, host lists); the address is checked when connecting.</summary>
    public string? UrlProblem(Uri url)
    {
        var loopbackHttp = options.AllowLoopbackHttp && url.Scheme == Uri.UriSchemeHttp && IsLoopbackHost(url);
        if (url.Scheme != Uri.UriSchemeHttps && !loopbackHttp)
        {
            return "it is not an https URL";
        }

        if (HostPatterns.AsciiHost(url) is not { } host)
        {
            return "its host name is not valid";
        }

        if (HostPatterns.AnyMatches(host, options.DeniedHosts) || (options.AllowedHosts.Count > 0 && !HostPatterns.AnyMatches(host, options.AllowedHosts)))
        {
            return $"documents on {host} are not accepted by this server";
        }

        return null;
    }

    public async Task<FetchResult> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        if (UrlProblem(url) is { } problem)
        {
            return FetchResult.Failed(problem);
        }

        if (!slots.Wait(0, CancellationToken.None))
        {
            return FetchResult.Busy();
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return FetchResult.Failed((int)response.StatusCode is >= 300 and < 400
                    ? $"it answered with a redirect ({(int)response.StatusCode}), and redirects are not followed"
                    : $"it answered {(int)response.StatusCode} instead of 200");
            }

            if (response.Content.Headers.ContentType?.MediaType is not { } type || !IsJson(type))
            {
                return FetchResult.Failed("it is not served as application/json");
            }

            if (response.Content.Headers.ContentLength > options.MaxDocumentBytes)
            {
                return FetchResult.Failed($"it is larger than {options.MaxDocumentBytes} bytes");
            }

            var body = await ReadCappedAsync(response.Content, limit.Token);
            return body is null
                ? FetchResult.Failed($"it is larger than {options.MaxDocumentBytes} bytes")
                : FetchResult.Fetched(body, CacheLifetime(response.Headers.CacheControl));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FetchResult.Failed($"it did not arrive within {options.Timeout.TotalSeconds:0.#} s");
        }
        catch (RefusedAddressException e)
        {
            return FetchResult.Failed(e.Message);
        }
        catch (HttpRequestException e) when (e.InnerException is RefusedAddressException refused)
        {
            return FetchResult.Failed(refused.Message);
        }
        catch (HttpRequestException e)
        {
            return FetchResult.Failed($"it could not be fetched ({e.HttpRequestError})");
        }
        catch (IOException e)
        {
            // The body broke off or was malformed (a premature end, a bad chunk): read after the headers, it is not an HttpRequestException.
            return FetchResult.Failed($"it could not be fetched ({(e is HttpIOException io ? io.HttpRequestError : HttpRequestError.Unknown)})");
        }
        finally
        {
            slots.Release();
        }
    }

    public void Dispose()
    {
        client.Dispose();
        slots.Dispose();
    }

    private async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[options.MaxDocumentBytes + 1];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
        {
            read += n;
        }

        return read > options.MaxDocumentBytes ? null : buffer[..read];
    }

    private TimeSpan CacheLifetime(CacheControlHeaderValue? cacheControl)
    {
        var said = cacheControl is { NoStore: true } or { NoCache: true } ? TimeSpan.Zero : cacheControl?.MaxAge ?? TimeSpan.Zero;
        return said < options.MinCacheLifetime ? options.MinCacheLifetime : said > options.MaxCacheLifetime ? options.MaxCacheLifetime : said;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await resolver.ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new RefusedAddressException($"its host {context.DnsEndPoint.Host} has no address");
        }

        if (addresses.FirstOrDefault(a => !AddressPolicy.IsAllowed(a, options.AllowLoopbackHttp)) is { } refused)
        {
            throw new RefusedAddressException($"its host resolves to {refused}, a private, loopback, link-local or reserved address");
        }

        // Each checked address in turn (an IPv6 answer first on a machine without IPv6 routes, say); never a new lookup.
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    private static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private static bool IsLoopbackHost(Uri url) =>
        url.IsLoopback || string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase);
}
