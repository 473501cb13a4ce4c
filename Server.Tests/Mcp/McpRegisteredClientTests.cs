using System.Net;
using System.Text;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityServer.Tests.Infrastructure;
using ModelContextProtocol.Authentication;

namespace IdentityServer.Tests.Mcp;

/// <summary>
/// The official MCP C# client against an MCP server protected by this identity server, with a client declared in
/// configuration: from the MCP server's 401 it finds this server, signs alice in with code + PKCE and
/// <c>resource</c>, and calls a tool with a token for that MCP server only.
/// </summary>
public sealed class McpRegisteredClientTests(McpHosts hosts) : IClassFixture<McpHosts>
{
    [Fact]
    public async Task ADeclaredClientSignsInThroughTheMcpServersChallengeOnAnyLoopbackPortAndItsToolSeesAlice()
    {
        using var cancel = new CancellationTokenSource(McpSdkClient.Patience);
        using var person = new BrowserStandIn(hosts.Identity);
        using var sdk = new McpSdkClient();
        var sub = await sdk.WhoAmIAsync(hosts.Mcp.Url, new ClientOAuthOptions
        {
            ClientId = McpHosts.RegisteredClient,
            RedirectUri = new Uri(McpHosts.ClientRedirect),
            AuthorizationCallbackHandler = person.HandleAsync,
        }, cancel.Token);

        var request = Assert.Single(person.AuthorizationRequests);
        Assert.StartsWith(hosts.Issuer, request.AbsoluteUri, StringComparison.Ordinal);
        var parameters = OAuth.Query(request);
        Assert.Equal(hosts.Mcp.Url, parameters["resource"]);
        Assert.Equal("S256", parameters["code_challenge_method"]);
        Assert.Equal(hosts.Issuer, OAuth.Query(person.Redirect!)["iss"]);
        var tokenRequest = sdk.FormSentTo(hosts.Issuer + "connect/token");
        Assert.Equal(hosts.Mcp.Url, tokenRequest["resource"]);
        Assert.Equal(McpHosts.ClientRedirect, tokenRequest["redirect_uri"]);
        Assert.Equal(await hosts.AliceIdAsync(), sub);

        // The token the MCP server accepted is for that MCP server alone.
        var bearer = sdk.Sent.Last(s => s.Request.RequestUri!.AbsoluteUri == hosts.Mcp.Url && s.Request.Headers.Authorization is not null).Request.Headers.Authorization!;
        Assert.Equal("Bearer", bearer.Scheme);
        Assert.Equal(hosts.Mcp.Url, OAuth.JwtPayload(bearer.Parameter!)["aud"].GetString());
    }

    [Fact]
    public async Task ATokenForAnotherResourceIsRefusedWithAChallengeThatPointsAtTheResourceMetadata()
    {
        using var identity = hosts.IdentityClient();
        var token = await identity.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = hosts.Issuer + "connect/token", ClientId = OAuth.Machine, ClientSecret = OAuth.MachineSecret, Scope = "api",
            Resource = { McpHosts.OtherResource },
        });
        Assert.False(token.IsError, token.Error);
        Assert.Equal(McpHosts.OtherResource, OAuth.JwtPayload(token.AccessToken!)["aud"].GetString());

        using var mcp = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        mcp.SetBearerToken(token.AccessToken!);
        var response = await mcp.PostAsync(hosts.Mcp.Url, JsonContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains($"resource_metadata=\"{hosts.Mcp.Origin}/.well-known/oauth-protected-resource/mcp\"", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMcpServersResourceMetadataNamesThisIssuer()
    {
        using var mcp = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var metadata = JsonDocument.Parse(await mcp.GetStringAsync(hosts.Mcp.Origin + "/.well-known/oauth-protected-resource/mcp"));

        Assert.Equal(hosts.Mcp.Url, metadata.RootElement.GetProperty("resource").GetString());
        Assert.Equal([hosts.Issuer], metadata.RootElement.GetProperty("authorization_servers").EnumerateArray().Select(s => s.GetString()));

        // What an MCP client checks next: the issuer matches, PKCE S256 is advertised, and so is iss in the response.
        using var identity = hosts.IdentityClient();
        using var discovery = JsonDocument.Parse(await identity.GetStringAsync("/.well-known/openid-configuration"));
        Assert.Equal(hosts.Issuer, discovery.RootElement.GetProperty("issuer").GetString());
        Assert.Contains("S256", discovery.RootElement.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()));
        Assert.True(discovery.RootElement.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");
}
