using IdentityServer.Tests.Infrastructure;
using ModelContextProtocol.Authentication;

namespace IdentityServer.Tests.Mcp;

/// <summary>
/// With dynamic client registration on, the official MCP C# client needs nothing from the person but a redirect: it
/// registers itself (RFC 7591) at the endpoint discovery names, then signs alice in for the MCP server.
/// </summary>
public sealed class McpDynamicRegistrationTests(McpDynamicRegistrationTests.Hosts hosts) : IClassFixture<McpDynamicRegistrationTests.Hosts>
{
    private const string SdkRedirect = "http://127.0.0.1:33420/callback";

    [Fact]
    public async Task AClientWithNoIdRegistersItselfSignsInAndItsToolSeesAlice()
    {
        using var cancel = new CancellationTokenSource(McpSdkClient.Patience);
        using var person = new BrowserStandIn(hosts.Identity);
        using var sdk = new McpSdkClient();
        string? registeredId = null;

        var sub = await sdk.WhoAmIAsync(hosts.Mcp.Url, new ClientOAuthOptions
        {
            RedirectUri = new Uri(SdkRedirect),
            AuthorizationCallbackHandler = person.HandleAsync,
            DynamicClientRegistration = new DynamicClientRegistrationOptions
            {
                ClientName = "Test MCP client",
                ResponseDelegate = (response, _) =>
                {
                    registeredId = response.ClientId;
                    return Task.CompletedTask;
                },
            },
        }, cancel.Token);

        Assert.False(string.IsNullOrEmpty(registeredId));
        Assert.Contains(sdk.Sent, s => s.Request.Method == HttpMethod.Post && s.Request.RequestUri!.AbsoluteUri == hosts.Issuer + "connect/register");
        var authorization = OAuth.Query(Assert.Single(person.AuthorizationRequests));
        Assert.Equal(registeredId, authorization["client_id"]);
        Assert.Equal(hosts.Mcp.Url, authorization["resource"]);
        Assert.Equal(await hosts.AliceIdAsync(), sub);
    }

    /// <summary>The hosts, with open registration on and registered clients allowed to ask for the MCP server.</summary>
    public sealed class Hosts : McpHosts
    {
        protected override void Configure(ServerFactory server)
        {
            server.Settings["IdentityServer:Registration:Enabled"] = "true";
            server.Settings["IdentityServer:Registration:Policy"] = "Open";
            server.Settings["IdentityServer:Resources:0:AllowSelfDescribedClients"] = "true";
        }
    }
}
