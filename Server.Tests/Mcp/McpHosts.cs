using System.Text.Json;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Mcp;

/// <summary>
/// Everything an MCP client meets, each on its own loopback port: this identity server, an MCP server that trusts it,
/// and a host for client metadata documents. A pre-registered public client may ask for the MCP server as a resource.
/// </summary>
public class McpHosts : IAsyncLifetime
{
    /// <summary>A pre-registered MCP client, as a person would declare Claude Code or VS Code by hand.</summary>
    public const string RegisteredClient = "mcp-desktop";

    /// <summary>Its redirect as declared: port-less, as RFC 8252 §7.3 allows for a loopback listener on any port.</summary>
    public const string DeclaredRedirect = "http://127.0.0.1/callback";

    /// <summary>The loopback listener the MCP client opens (nothing listens there; the test reads the redirect).</summary>
    public const string ClientRedirect = "http://127.0.0.1:33418/callback";

    /// <summary>Another declared API: tokens for it must not open the MCP server.</summary>
    public const string OtherResource = "https://other-api.example/";

    private ServerFactory? identity;

    public ServerFactory Identity => identity!;

    public ProtectedMcpServer Mcp { get; private set; } = null!;

    public DocumentHost Documents { get; private set; } = null!;

    /// <summary>The identity server's issuer as discovery writes it, e.g. <c>http://127.0.0.1:40111/</c>.</summary>
    public string Issuer { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Mcp = await ProtectedMcpServer.StartAsync();
        Documents = await DocumentHost.StartAsync();
        identity = new ServerFactory();
        Identity.Settings["IdentityServer:Resources:0:Uri"] = Mcp.Url;
        Identity.Settings["IdentityServer:Resources:0:DisplayName"] = "Test MCP server";
        Identity.Settings["IdentityServer:Resources:1:Uri"] = OtherResource;
        var client = Identity.DeclareClient(new TestClient(RegisteredClient)
        {
            Type = "public", DisplayName = "MCP desktop app", RedirectUris = [DeclaredRedirect],
            GrantTypes = ["authorization_code", "refresh_token"], Scopes = ["openid", "profile", "offline_access"],
        });
        Identity.Settings[client + ":Resources:0"] = Mcp.Url;
        Identity.OverrideClient(OAuth.Machine, "Resources:0", OtherResource);
        Configure(Identity);
        Identity.UseKestrel(0);
        Identity.StartServer();

        using var http = IdentityClient();
        using var discovery = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration"));
        Issuer = discovery.RootElement.GetProperty("issuer").GetString()!;
        Mcp.Issuer = Issuer;
    }

    /// <summary>A client of the identity server's socket that gives up after 10 s.</summary>
    public HttpClient IdentityClient()
    {
        var http = Identity.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(10);
        return http;
    }

    /// <summary>alice's user id: the <c>sub</c> of her tokens.</summary>
    public async Task<string> AliceIdAsync()
    {
        await using var scope = Identity.Services.CreateAsyncScope();
        var alice = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync("alice");
        return alice!.Id;
    }

    /// <summary>More configuration for the identity server before it starts.</summary>
    protected virtual void Configure(ServerFactory server)
    {
    }

    public async Task DisposeAsync()
    {
        if (identity is not null)
        {
            await identity.DisposeAsync();
        }

        if (Mcp is not null)
        {
            await Mcp.DisposeAsync();
        }

        if (Documents is not null)
        {
            await Documents.DisposeAsync();
        }
    }
}
