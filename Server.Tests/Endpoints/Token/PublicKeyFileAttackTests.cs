using System.Security.Cryptography;
using IdentityServer.Seeding;

namespace IdentityServer.Tests.Endpoints.Token;

public sealed class PublicKeyFileAttackTests
{
    /// <summary>A 1024-bit RSA key (factorable by a well-funded attacker; below every current guideline) is taken as a client's key.</summary>
    [Fact]
    public void AWeakRsaKeyInAPemFileIsRefused()
    {
        using var rsa = RSA.Create(1024);
        var path = Path.Combine(Path.GetTempPath(), $"weak-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, rsa.ExportSubjectPublicKeyInfoPem());
        try
        {
            var options = new SeedOptions { Clients = [new DeclaredClient { ClientId = "weak", PublicKeyFile = path }] };
            var failures = PublicKeyFiles.Load(options, Path.GetTempPath());
            Assert.NotEmpty(failures);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
