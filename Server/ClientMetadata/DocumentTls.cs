using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace IdentityServer.ClientMetadata;

/// <summary>
/// Whether a document host's certificate is trusted: exactly what the system trusts (no errors at all). A test puts
/// its own in place to trust the certificate of its https document host; nothing in configuration can loosen this.
/// </summary>
internal class DocumentTls
{
    public virtual bool IsTrusted(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => errors == SslPolicyErrors.None;
}
