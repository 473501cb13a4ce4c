using IdentityServer.Oidc;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;

namespace IdentityServer.Hosting;

/// <summary>
/// Outside Development the server answers only requests addressed to the issuer's host; ASP.NET Core's host
/// filtering gives any other <c>Host</c> a 400, so nothing a request names can leak into what the server
/// builds. <c>AllowedHosts</c> left unset means the issuer's host; set, it must include that host and may
/// not be <c>*</c>. Development keeps ASP.NET Core's default (any host: localhost, 127.0.0.1, a container name).
/// </summary>
internal sealed class AllowedHostsFromIssuer(IConfiguration configuration, IHostEnvironment environment, IOptions<OidcOptions> server)
    : IConfigureOptions<HostFilteringOptions>, IValidateOptions<HostFilteringOptions>
{
    private const string Key = "AllowedHosts";

    public void Configure(HostFilteringOptions options)
    {
        if (IssuerHost() is { } host && string.IsNullOrWhiteSpace(configuration[Key]))
        {
            options.AllowedHosts = [host];
        }
    }

    public ValidateOptionsResult Validate(string? name, HostFilteringOptions options)
    {
        if (IssuerHost() is not { } host)
        {
            return ValidateOptionsResult.Success;
        }

        var hosts = string.Join(';', options.AllowedHosts);
        if (options.AllowedHosts.Contains("*"))
        {
            return ValidateOptionsResult.Fail($"{Key}: '*' serves requests for any host; outside Development leave {Key} unset (then only the host of IdentityServer:Issuer, '{host}', is served) or list the hosts to serve, '{host}' among them.");
        }

        return options.AllowedHosts.Any(allowed => Matches(allowed, host))
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{Key}: '{hosts}' does not include '{host}', the host of IdentityServer:Issuer; every request to the issuer would get 400. Add it, or leave {Key} unset.");
    }

    /// <summary>Null in Development, where the issuer may be absent and any host is served.</summary>
    private string? IssuerHost() =>
        environment.IsDevelopment() || server.Value.Issuer is not { } issuer ? null
        : issuer.HostNameType == UriHostNameType.IPv6 ? issuer.Host
        : issuer.IdnHost;

    /// <summary>The host filter's own rules: exact (any case), or <c>*.example.com</c> for its subdomains.</summary>
    private static bool Matches(string allowed, string host) =>
        string.Equals(allowed, host, StringComparison.OrdinalIgnoreCase)
        || (allowed.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase));
}
