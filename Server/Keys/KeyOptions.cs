using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.Keys;

/// <summary>Where the signing and encryption keys come from (<c>IdentityServer:Keys</c>).</summary>
internal sealed class KeyOptions
{
    public const string Section = "IdentityServer:Keys";

    /// <summary>Folder for generated development keys (relative to the content root).</summary>
    [Required(ErrorMessage = "a folder is required.")]
    public string Directory { get; set; } = "../certs";

    /// <summary>RSA private key (PEM) that signs identity tokens, and access tokens when the algorithm is RS256.</summary>
    public string? RsaSigningKeyFile { get; set; }

    /// <summary>ECDSA P-256 private key (PEM) that signs access tokens when the algorithm is ES256.</summary>
    public string? EcdsaSigningKeyFile { get; set; }

    /// <summary>RSA private key (PEM) that encrypts codes and refresh tokens (only this server reads them).</summary>
    public string? EncryptionKeyFile { get; set; }

    [EnumDataType(typeof(SigningAlgorithm), ErrorMessage = "use RS256 or ES256.")]
    public SigningAlgorithm AccessTokenSigningAlgorithm { get; set; } = SigningAlgorithm.RS256;

    /// <summary>Generate missing key files into <see cref="Directory"/>. On by default in Development only.</summary>
    public bool GenerateMissing { get; set; }
}

[OptionsValidator]
internal sealed partial class KeyOptionsValidator : IValidateOptions<KeyOptions>;
