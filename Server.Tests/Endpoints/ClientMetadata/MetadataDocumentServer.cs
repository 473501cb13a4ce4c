using System.Net;
using IdentityServer.ClientMetadata;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Endpoints.ClientMetadata;

/// <summary>
/// The demo server (metadata documents on, loopback documents allowed, as in Development) with two declared
/// APIs: Tools, open to self-described clients with its scope, and Payroll, for configured clients only. Short
/// fetch limits keep the slow-document test short; a made-up host name resolves to a public and a private address.
/// </summary>
public sealed class MetadataDocumentServer : ServerFactory
{
    public const string Tools = "https://tools.example/mcp";
    public const string Payroll = "https://payroll.example/";
    public const string PrivateHost = "intranet.example";

    public MetadataDocumentServer()
    {
        Settings["IdentityServer:Scopes:1:Name"] = "tools";
        Settings["IdentityServer:Resources:0:Uri"] = Tools;
        Settings["IdentityServer:Resources:0:Scopes:0"] = "tools";
        Settings["IdentityServer:Resources:0:AllowSelfDescribedClients"] = "true";
        Settings["IdentityServer:Resources:1:Uri"] = Payroll;
        Settings["IdentityServer:ClientMetadataDocuments:Timeout"] = "00:00:01";
        Settings["IdentityServer:ClientMetadataDocuments:ConnectTimeout"] = "00:00:01";
        TestServices.Add(services => services.AddSingleton<HostResolver>(new FixedResolver()));
    }

    private sealed class FixedResolver : HostResolver
    {
        public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => host switch
        {
            PrivateHost => Task.FromResult<IPAddress[]>([IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.0.0.7")]),
            _ => base.ResolveAsync(host, cancellationToken),
        };
    }
}
