using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace IdentityServer.Keys;

/// <summary>
/// Encrypts the Data Protection key ring at rest with the server's RSA encryption key (from the key files),
/// so a copy of the database alone reveals no cookie, anti-forgery token, code or refresh token.
/// Data Protection wants a certificate: one is made from the key with fixed fields, so every instance and
/// every restart derives the same certificate (same thumbprint) from the same key file.
/// </summary>
internal static class KeyRingProtection
{
    private static readonly DateTimeOffset NotBefore = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NotAfter = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IServiceCollection ProtectKeyRingWith(this IServiceCollection services, RSA key)
    {
        var certificate = CertificateFor(key);
        services.AddDataProtection().ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        return services;
    }

    internal static X509Certificate2 CertificateFor(RSA key)
    {
        var subject = new X500DistinguishedName("CN=IdentityServer key ring");
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var generator = X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1);
        using var certificate = request.Create(subject, generator, NotBefore, NotAfter, [1]);
        return certificate.CopyWithPrivateKey(key);
    }
}
