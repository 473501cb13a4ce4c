using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using IdentityServer.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Tests.Endpoints.Token;

/// <summary>
/// private_key_jwt (RFC 7523): a machine client declares its public keys instead of a secret and authenticates
/// with signed assertions, sent by Duende.IdentityModel and signed with Microsoft's JsonWebTokenHandler.
/// </summary>
public sealed class ClientAssertionTests : IAsyncLifetime
{
    private const string Signer = "signer";
    private const string TokenEndpoint = "http://localhost/connect/token";
    private const string Issuer = "http://localhost/";
    private readonly RSA rsa = RSA.Create(2048);
    private readonly ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ServerFactory server = new();

    public ClientAssertionTests()
    {
        var client = server.DeclareClient(new TestClient(Signer) { GrantTypes = ["client_credentials"], Scopes = ["api"] });
        server.Settings[client + ":Jwks"] = PublicKeys();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        rsa.Dispose();
        ec.Dispose();
    }

    private SecurityKey Rsa => new RsaSecurityKey(rsa) { KeyId = "rsa-1" };

    private SecurityKey Ec => new ECDsaSecurityKey(ec) { KeyId = "ec-1" };

    private string PublicKeys()
    {
        var r = rsa.ExportParameters(false);
        var e = ec.ExportParameters(false);
        return JsonSerializer.Serialize(new
        {
            keys = new object[]
            {
                new { kty = "RSA", kid = "rsa-1", use = "sig", alg = "RS256", n = Base64UrlEncoder.Encode(r.Modulus), e = Base64UrlEncoder.Encode(r.Exponent) },
                new { kty = "EC", kid = "ec-1", use = "sig", alg = "ES256", crv = "P-256", x = Base64UrlEncoder.Encode(e.Q.X), y = Base64UrlEncoder.Encode(e.Q.Y) },
            },
        });
    }

    /// <summary>An assertion as RFC 7523 and its update describe it: explicitly typed, for the issuer, a minute long, one jti each.</summary>
    private string Assertion(SecurityKey key, string algorithm, string audience = Issuer, TimeSpan? age = null)
    {
        var issuedAt = server.Time.GetUtcNow().UtcDateTime - (age ?? TimeSpan.Zero);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Signer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", Signer), new Claim("jti", Guid.NewGuid().ToString("N"))]),
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + TimeSpan.FromMinutes(1),
            SigningCredentials = new SigningCredentials(key, algorithm),
            TokenType = "client-authentication+jwt",
        });
    }

    private static async Task<TokenResponse> RequestAsync(HttpClient http, string assertion) =>
        await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = TokenEndpoint,
            ClientId = Signer,
            ClientAssertion = new ClientAssertion { Type = OidcConstants.ClientAssertionTypes.JwtBearer, Value = assertion },
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            Scope = "api",
        });

    /// <summary>The library reads a 401 as an HTTP failure; the protocol error is in the JSON body it kept.</summary>
    private static string? ErrorOf(TokenResponse response) => JsonDocument.Parse(response.Raw!).RootElement.GetProperty("error").GetString();

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    public async Task AMachineClientAuthenticatesWithASignedAssertion(string algorithm)
    {
        using var http = server.CreateClient();
        var response = await RequestAsync(http, Assertion(algorithm == "RS256" ? Rsa : Ec, algorithm));

        Assert.False(response.IsError, response.Error + " " + response.ErrorDescription);
        Assert.Equal(Signer, OAuth.JwtPayload(response.AccessToken!)["client_id"].GetString());
    }

    [Fact]
    public async Task AReplayedAssertionIsInvalidClient()
    {
        using var http = server.CreateClient();
        var assertion = Assertion(Rsa, SecurityAlgorithms.RsaSha256);
        Assert.False((await RequestAsync(http, assertion)).IsError);

        var replayed = await RequestAsync(http, assertion);

        Assert.Equal(HttpStatusCode.Unauthorized, replayed.HttpStatusCode);
        Assert.Equal("invalid_client", ErrorOf(replayed));
    }

    public static TheoryData<string> Refused => ["expired", "other audience", "other key"];

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task AnAssertionThatIsExpiredForAnotherAudienceOrSignedByAnotherKeyIsInvalidClient(string what)
    {
        using var http = server.CreateClient();
        using var stranger = RSA.Create(2048);
        var assertion = what switch
        {
            "expired" => Assertion(Rsa, SecurityAlgorithms.RsaSha256, age: TimeSpan.FromMinutes(10)),
            "other audience" => Assertion(Rsa, SecurityAlgorithms.RsaSha256, audience: "https://elsewhere.example/token"),
            _ => Assertion(new RsaSecurityKey(stranger) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha256),
        };

        var response = await RequestAsync(http, assertion);

        Assert.Equal(HttpStatusCode.Unauthorized, response.HttpStatusCode);
        Assert.Equal("invalid_client", ErrorOf(response));
    }

    [Fact]
    public async Task DiscoveryAdvertisesPrivateKeyJwt()
    {
        using var http = server.CreateClient();
        var discovery = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration")).RootElement;

        Assert.Contains("private_key_jwt", discovery.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(m => m.GetString()));
    }
}
