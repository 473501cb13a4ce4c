using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.Passkeys;

/// <summary>Passkeys (WebAuthn) through ASP.NET Core Identity (<c>IdentityServer:Passkeys</c>).</summary>
internal sealed class PasskeyOptions
{
    public const string Section = "IdentityServer:Passkeys";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The WebAuthn relying-party id. By default the issuer's host; it may be widened to a parent domain of that
    /// host (passkeys made here then also work on its other subdomains). Never taken from a request's Host header
    /// outside Development.
    /// </summary>
    [StringLength(253)]
    public string? RelyingPartyId { get; set; }

    /// <summary>
    /// Further origins (scheme://host[:port]) whose pages may use these passkeys, each on the relying-party id or
    /// below it. The issuer's own origin is always allowed.
    /// </summary>
    public List<string> AdditionalOrigins { get; set; } = [];

    /// <summary><c>Required</c> (the default: a PIN or biometric on the authenticator), <c>Preferred</c> or <c>Discouraged</c>.</summary>
    [EnumDataType(typeof(PasskeyUserVerification), ErrorMessage = "use Required, Preferred or Discouraged.")]
    public PasskeyUserVerification UserVerification { get; set; } = PasskeyUserVerification.Required;

    /// <summary>Whether registration may create an account with a passkey and no password.</summary>
    public bool AllowPasswordlessRegistration { get; set; } = true;

    /// <summary>How long a browser has to answer one challenge.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most passkeys one account may hold.</summary>
    [Range(1, 100)]
    public int MaximumPerAccount { get; set; } = 20;
}

internal enum PasskeyUserVerification
{
    Required,
    Preferred,
    Discouraged,
}

[OptionsValidator]
internal sealed partial class PasskeyOptionsValidator : IValidateOptions<PasskeyOptions>;
