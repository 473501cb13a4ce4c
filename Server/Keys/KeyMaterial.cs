using System.Security.Cryptography;
using IdentityServer.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Keys;

/// <summary>
/// Makes, seals and opens signing keys: RSA 2048 for RS256, P-256 for ES256; the private key is stored as PKCS#8
/// PEM encrypted with Data Protection (itself encrypted at rest with the encryption key file); the kid is the
/// RFC 7638 thumbprint, so it is the same whether a key was generated here or imported from a file.
/// </summary>
internal static class KeyMaterial
{
    public const string Purpose = "IdentityServer.Keys.SigningKey.v1";

    public static AsymmetricAlgorithm Generate(string algorithm) =>
        algorithm == nameof(SigningAlgorithm.ES256) ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);

    public static AsymmetricAlgorithm Import(string algorithm, string pem)
    {
        AsymmetricAlgorithm key = algorithm == nameof(SigningAlgorithm.ES256) ? ECDsa.Create() : RSA.Create();
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new InvalidOperationException($"The {algorithm} signing key file is not a PEM private key of the expected type: {e.Message}", e);
        }
    }

    public static SigningKey Seal(AsymmetricAlgorithm key, string algorithm, IDataProtector protector, DateTimeOffset createdAt, DateTimeOffset activatesAt, string origin) => new()
    {
        Kid = Wrap(key).KeyId,
        Algorithm = algorithm,
        ProtectedKey = protector.Protect(key.ExportPkcs8PrivateKeyPem()),
        CreatedAt = createdAt.UtcTicks,
        ActivatesAt = activatesAt.UtcTicks,
        Origin = origin,
    };

    public static AsymmetricSecurityKey Open(SigningKey row, IDataProtector protector)
    {
        var key = Wrap(Import(row.Algorithm, protector.Unprotect(row.ProtectedKey)));
        return key.KeyId == row.Kid ? key : throw new InvalidOperationException($"Signing key {row.Kid} does not match its thumbprint.");
    }

    private static AsymmetricSecurityKey Wrap(AsymmetricAlgorithm algorithm)
    {
        AsymmetricSecurityKey key = algorithm switch
        {
            RSA rsa => new RsaSecurityKey(rsa),
            ECDsa ecdsa => new ECDsaSecurityKey(ecdsa),
            _ => throw new NotSupportedException(algorithm.GetType().Name),
        };
        key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromSecurityKey(key).ComputeJwkThumbprint());
        return key;
    }
}
