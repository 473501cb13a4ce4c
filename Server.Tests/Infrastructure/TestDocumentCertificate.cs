using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IdentityServer.ClientMetadata;

namespace IdentityServer.Tests.Infrastructure;

/// <summary>
/// A self-signed certificate for 127.0.0.1, made once per test run, for an https <see cref="DocumentHost"/>; and the
/// one trust a test server may be given (<see cref="Trust"/>): that certificate, and what the system trusts.
/// </summary>
internal static class TestDocumentCertificate
{
    private static readonly Lazy<X509Certificate2> Instance = new(Create);

    public static X509Certificate2 Certificate => Instance.Value;

    public static DocumentTls Trust { get; } = new TrustingThisCertificate();

    private static X509Certificate2 Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    private sealed class TrustingThisCertificate : DocumentTls
    {
        public override bool IsTrusted(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
            base.IsTrusted(certificate, chain, errors)
            || (certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString() && errors == SslPolicyErrors.RemoteCertificateChainErrors);
    }
}
