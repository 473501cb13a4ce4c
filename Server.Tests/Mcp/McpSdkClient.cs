using System.Collections.Concurrent;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace IdentityServer.Tests.Mcp;

/// <summary>
/// The official MCP C# client (ModelContextProtocol 2.4.0), connecting over Streamable HTTP with OAuth. Keeps every
/// request it sent, with the form body of each POST, so a test can check what went on the wire.
/// </summary>
public sealed class McpSdkClient : IDisposable
{
    /// <summary>How long one whole connection, sign-in included, may take before the test fails instead of hanging.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly HttpClient http;

    public McpSdkClient() => http = new HttpClient(new Recorder(Sent) { InnerHandler = new SocketsHttpHandler() }) { Timeout = TimeSpan.FromSeconds(15) };

    public ConcurrentQueue<(HttpRequestMessage Request, string Body)> Sent { get; } = new();

    /// <summary>The form the client posted to <paramref name="url"/> (the token endpoint, say).</summary>
    public Dictionary<string, string> FormSentTo(string url)
    {
        var (_, body) = Sent.Last(s => s.Request.Method == HttpMethod.Post && s.Request.RequestUri!.AbsoluteUri == url);
        return body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
    }

    /// <summary>Connects, calls the <c>whoami</c> tool and answers its text (the token's <c>sub</c>).</summary>
    public async Task<string> WhoAmIAsync(string mcpUrl, ClientOAuthOptions oauth, CancellationToken cancellationToken)
    {
        await using var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(mcpUrl), TransportMode = HttpTransportMode.StreamableHttp, OAuth = oauth }, http);
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
        var result = await client.CallToolAsync("whoami", cancellationToken: cancellationToken);
        Assert.NotEqual(true, result.IsError);
        return string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));
    }

    public void Dispose() => http.Dispose();

    private sealed class Recorder(ConcurrentQueue<(HttpRequestMessage, string)> sent) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is FormUrlEncodedContent form ? await form.ReadAsStringAsync(cancellationToken) : "";
            sent.Enqueue((request, body));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
