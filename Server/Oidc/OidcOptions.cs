using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.Oidc;

/// <summary>The issuer and transport settings at the top of the <c>IdentityServer</c> section.</summary>
internal sealed class OidcOptions : IValidatableObject
{
    public const string Section = "IdentityServer";

    /// <summary>Absolute issuer URI. Optional in Development (derived from the request), required elsewhere.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>Whether OpenIddict insists on HTTPS. Off only for local development over http://localhost.</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>
    /// The storage and pipeline short cuts that lean on OpenIddict's internals (Oidc/Storage/OidcFastPaths.cs).
    /// On by default; off runs OpenIddict's own stores and handlers, slower and otherwise the same — CI runs
    /// the protocol tests both ways, so an OpenIddict upgrade that breaks a short cut fails a test.
    /// </summary>
    public bool FastPaths { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Issuer is { } issuer && (!issuer.IsAbsoluteUri || issuer.Query.Length > 0 || issuer.Fragment.Length > 0 || issuer.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult($"'{issuer}' must be an absolute http(s) URI without query or fragment.", [nameof(Issuer)]);
        }
        else if (Issuer is { Scheme: "http" } && RequireHttps)
        {
            yield return new ValidationResult($"'{Issuer}' is http while {Section}:RequireHttps is true.", [nameof(Issuer)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class OidcOptionsValidator : IValidateOptions<OidcOptions>;
