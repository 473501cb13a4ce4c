using System.Net;

namespace IdentityServer.ClientMetadata;

/// <summary>Resolves a document's host once per connection; a test puts its own answers in place (a host that resolves to a private address).</summary>
internal class HostResolver
{
    public virtual async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
}
