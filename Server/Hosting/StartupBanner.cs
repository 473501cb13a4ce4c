using IdentityServer.ClientMetadata;
using IdentityServer.Oidc;
using IdentityServer.Seeding;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace IdentityServer.Hosting;

/// <summary>In Development, prints where the server is and how to try it, once it listens.</summary>
internal sealed class StartupBanner(IServer server, IHostApplicationLifetime lifetime, IOptions<OidcOptions> oidc, IOptions<SeedOptions> declared,
    IOptions<ClientMetadataOptions> documents, IHostEnvironment environment) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsDevelopment())
        {
            lifetime.ApplicationStarted.Register(Print);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
        {
            return;
        }

        var issuer = (oidc.Value.Issuer?.AbsoluteUri ?? address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).TrimEnd('/');
        var lines = new List<string>
        {
            "",
            "  IdentityServer is running (Development).",
            $"  Issuer     {issuer}/",
            $"  Discovery  {issuer}/.well-known/openid-configuration",
            $"  Playground {issuer}/playground",
        };
        foreach (var client in declared.Value.Clients)
        {
            lines.Add($"  Client     {client.ClientId,-14} {(client.Type == ClientType.Public ? "public" : "confidential"),-12} {string.Join(' ', client.GrantTypes)}");
        }

        foreach (var user in declared.Value.Users)
        {
            lines.Add($"  User       {user.UserName,-14} (password in appsettings.Development.json)");
        }

        if (documents.Value.Enabled)
        {
            var open = declared.Value.Resources.Where(r => r.AllowSelfDescribedClients).Select(r => r.Uri).ToList();
            lines.Add($"  Documents  a URL as client_id is fetched as its metadata document{(documents.Value.AllowLoopbackHttp ? " (http on loopback too)" : "")};"
                + $" resources open to such clients: {(open.Count == 0 ? "none (AllowSelfDescribedClients)" : string.Join(' ', open))}");
        }

        var machine = declared.Value.Clients.FirstOrDefault(c => c.GrantTypes.Contains("client_credentials") && c.Secret is not null);
        if (machine is not null)
        {
            // Only the Development demo client's documented secret is ever printed.
            lines.Add("  Try it:");
            lines.Add($"    curl -s -u {machine.ClientId}:{machine.Secret} -d grant_type=client_credentials{(machine.Scopes.Count > 0 ? " -d scope=" + string.Join("+", machine.Scopes) : "")} {issuer}/connect/token");
        }

        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
