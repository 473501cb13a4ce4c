using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace IdentityServer.Tests.Mcp;

/// <summary>The official MCP C# client (ModelContextProtocol 2.4.0), connecting over Streamable HTTP with OAuth.</summary>
public static class McpSdkClient
{
    /// <summary>How long one whole connection, sign-in included, may take before the test fails instead of hanging.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Connects, calls the <c>whoami</c> tool and answers its text (the token's <c>sub</c>).</summary>
    public static async Task<string> WhoAmIAsync(string mcpUrl, ClientOAuthOptions oauth, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        await using var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(mcpUrl), TransportMode = HttpTransportMode.StreamableHttp, OAuth = oauth }, http);
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
        var result = await client.CallToolAsync("whoami", cancellationToken: cancellationToken);
        Assert.NotEqual(true, result.IsError);
        return string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));
    }
}
