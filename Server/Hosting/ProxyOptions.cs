using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace IdentityServer.Hosting;

/// <summary>Reverse proxies in front of the server (<c>IdentityServer:KnownProxies</c>).</summary>
internal sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "IdentityServer";

    /// <summary>
    /// Reverse proxies (IP addresses) whose X-Forwarded-For / X-Forwarded-Proto headers are trusted.
    /// Empty: forwarded headers are ignored.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(KnownProxies[i], out _))
            {
                yield return new ValidationResult($"'{KnownProxies[i]}' is not an IP address.", [$"{nameof(KnownProxies)}[{i}]"]);
            }
        }
    }
}

[OptionsValidator]
internal sealed partial class ProxyOptionsValidator : IValidateOptions<ProxyOptions>;
