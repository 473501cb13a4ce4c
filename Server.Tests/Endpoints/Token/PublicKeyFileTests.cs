using System.Security.Claims;
using System.Security.Cryptography;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using IdentityServer.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Tests.Endpoints.Token;

/// <summary>private_key_jwt with the client's public keys in a PEM file, as openssl writes them, instead of an inline JWKS.</summary>
public sealed class PublicKeyFileTests
{
    private const string Signer = "pem-signer";

    [Fact]
    public async Task AClientWhoseKeysAreInAPemFileAuthenticatesWithEachOfThem()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var server = new ServerFactory();
        Directory.CreateDirectory(server.Folder);
        var file = Path.Combine(server.Folder, "signer.pem");
        await File.WriteAllTextAsync(file, rsa.ExportSubjectPublicKeyInfoPem() + "\n" + ec.ExportSubjectPublicKeyInfoPem());
        var client = server.DeclareClient(new TestClient(Signer) { GrantTypes = ["client_credentials"], Scopes = ["api"] });
        server.Settings[client + ":PublicKeyFile"] = file;

        using var http = server.CreateClient();
        foreach (var (key, algorithm) in new (SecurityKey, string)[] { (new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256), (new ECDsaSecurityKey(ec), SecurityAlgorithms.EcdsaSha256) })
        {
            var response = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = "http://localhost/connect/token", ClientId = Signer, Scope = "api", ClientCredentialStyle = ClientCredentialStyle.PostBody,
                ClientAssertion = new ClientAssertion { Type = OidcConstants.ClientAssertionTypes.JwtBearer, Value = Assertion(server, key, algorithm) },
            });
            Assert.False(response.IsError, algorithm + ": " + response.Error + " " + response.ErrorDescription);
            Assert.Equal(Signer, OAuth.JwtPayload(response.AccessToken!)["client_id"].GetString());
        }
    }

    [Theory]
    [InlineData("private", "holds a private key")]
    [InlineData("missing", "cannot use")]
    [InlineData("empty", "holds no PEM public key")]
    public void AFileThatCannotServeStopsStartUpNamingTheSetting(string what, string expected)
    {
        using var rsa = RSA.Create(2048);
        using var server = new ServerFactory();
        Directory.CreateDirectory(server.Folder);
        var file = Path.Combine(server.Folder, "signer.pem");
        if (what != "missing")
        {
            File.WriteAllText(file, what == "private" ? rsa.ExportPkcs8PrivateKeyPem() : "not a key");
        }

        var client = server.DeclareClient(new TestClient(Signer) { GrantTypes = ["client_credentials"], Scopes = ["api"] });
        server.Settings[client + ":PublicKeyFile"] = file;

        var error = Assert.ThrowsAny<Exception>(() => server.CreateClient()).Message;
        Assert.Contains(client + ":PublicKeyFile", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    private static string Assertion(ServerFactory server, SecurityKey key, string algorithm)
    {
        var issuedAt = server.Time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Signer, Audience = "http://localhost/",
            Subject = new ClaimsIdentity([new Claim("sub", Signer), new Claim("jti", Guid.NewGuid().ToString("N"))]),
            IssuedAt = issuedAt, NotBefore = issuedAt, Expires = issuedAt + TimeSpan.FromMinutes(1),
            SigningCredentials = new SigningCredentials(key, algorithm),
            TokenType = "client-authentication+jwt",
        });
    }
}
