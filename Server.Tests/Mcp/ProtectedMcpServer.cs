using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore.Authentication;
using ModelContextProtocol.Server;

namespace IdentityServer.Tests.Mcp;

/// <summary>
/// An MCP server as its authors would write it with ModelContextProtocol.AspNetCore, on a real loopback port: it accepts
/// only this identity server's JWTs whose audience is its own URL, answers 401 with
/// <c>WWW-Authenticate: Bearer resource_metadata=…</c>, and serves RFC 9728 metadata naming the identity server. One
/// tool, <c>whoami</c>, answers the token's <c>sub</c>.
/// </summary>
/// <remarks>
/// The identity server is configured with this server's URL (its declared resource), so this one starts first and
/// learns the issuer afterwards: both option sets are read at the first request, after <see cref="Issuer"/> is set.
/// </remarks>
public sealed class ProtectedMcpServer : IAsyncDisposable
{
    public const string Path = "/mcp";

    private readonly WebApplication app;

    private ProtectedMcpServer(WebApplication app, string origin)
    {
        this.app = app;
        Origin = origin;
    }

    /// <summary>Scheme, host and port, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Origin { get; }

    /// <summary>The MCP endpoint, which is also the resource: the audience its tokens must carry.</summary>
    public string Url => Origin + Path;

    /// <summary>The identity server's issuer, exactly as its discovery document writes it.</summary>
    public string Issuer { get; set; } = "";

    public static async Task<ProtectedMcpServer> StartAsync()
    {
        ProtectedMcpServer? self = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultAuthenticateScheme = JwtBearerDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = McpAuthenticationDefaults.AuthenticationScheme;
            })
            .AddJwtBearer(o =>
            {
                o.Authority = self!.Issuer;
                o.RequireHttpsMetadata = false;
                o.Audience = self.Url;
                o.MapInboundClaims = false;
                o.BackchannelTimeout = TimeSpan.FromSeconds(10);
            })
            .AddMcp(o => o.ResourceMetadata = new()
            {
                Resource = self!.Url,
                AuthorizationServers = { self.Issuer },
                ResourceName = "Test MCP server",
            });
        builder.Services.AddAuthorization();
        builder.Services.AddMcpServer()
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools([McpServerTool.Create((ClaimsPrincipal user) => user.FindFirstValue("sub") ?? "", new McpServerToolCreateOptions { Name = "whoami" })]);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapMcp(Path).RequireAuthorization();
        await app.StartAsync();
        var origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new ProtectedMcpServer(app, origin);
        return self;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
