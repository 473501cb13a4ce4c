using IdentityServer.Oidc;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace IdentityServer.Accounts.Email;

/// <summary>
/// The absolute links put in emails. They never come from the request: a forged <c>Host</c> header would
/// otherwise mail a victim a valid reset token on the attacker's site. The origin is the configured issuer;
/// in Development, where the issuer may be left out, the first address the server is bound to.
/// </summary>
internal sealed class EmailLinks(IOptions<OidcOptions> options, IServer server, IConfiguration configuration)
{
    public string To(string path, params (string Key, string Value)[] query) =>
        QueryHelpers.AddQueryString(Origin() + path.TrimStart('/'), query.ToDictionary(q => q.Key, q => (string?)q.Value));

    /// <summary>Ends with a slash; keeps the issuer's path (a server hosted under /id/ links under /id/).</summary>
    private string Origin()
    {
        if (options.Value.Issuer is { } issuer)
        {
            var text = issuer.GetLeftPart(UriPartial.Path);
            return text.EndsWith('/') ? text : text + "/";
        }

        // ASPNETCORE_URLS / --urls as a fallback before Kestrel has reported what it bound.
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? "http://localhost:5000";
        return Loopback(address).TrimEnd('/') + "/";
    }

    /// <summary>A wildcard binding (all interfaces) is reached on this machine as localhost.</summary>
    private static string Loopback(string address)
    {
        foreach (var wildcard in new[] { "://+", "://*", "://0.0.0.0", "://[::]" })
        {
            address = address.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        }

        return address;
    }
}
