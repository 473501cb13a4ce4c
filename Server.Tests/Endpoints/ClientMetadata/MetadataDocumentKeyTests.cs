using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using IdentityServer.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Tests.Endpoints.ClientMetadata;

/// <summary>
/// A document that says private_key_jwt authenticates at the token endpoint with assertions signed by the keys it
/// publishes (inline jwks, or jwks_uri fetched under the same rules); and a public document client pushes its
/// authorization request (PAR), which creates the client as an authorization request does.
/// </summary>
public sealed class MetadataDocumentKeyTests(MetadataDocumentServer server) : IClassFixture<MetadataDocumentServer>, IAsyncLifetime
{
    private const string TokenEndpoint = "http://localhost/connect/token";
    private readonly RSA rsa = RSA.Create(2048);
    private DocumentHost documents = null!;

    public async Task InitializeAsync() => documents = await DocumentHost.StartAsync();

    public async Task DisposeAsync()
    {
        await documents.DisposeAsync();
        rsa.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ADocumentClientWithKeysRedeemsItsCodeOnlyWithASignedAssertion(bool keysByUri)
    {
        var clientId = documents.Origin + "/keyed.json";
        var extra = new Dictionary<string, object?> { ["token_endpoint_auth_method"] = "private_key_jwt" };
        if (keysByUri)
        {
            extra["jwks_uri"] = documents.Serve("/keyed-jwks.json", PublicKeys());
        }
        else
        {
            extra["jwks"] = JsonDocument.Parse(PublicKeys()).RootElement;
        }

        documents.Serve("/keyed.json", ClientDocuments.Json(clientId, extra: extra));
        using var browser = server.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        var code = OAuth.Query(await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(clientId, ClientDocuments.Callback, challenge, "openid")))["code"];

        var request = new AuthorizationCodeTokenRequest
        {
            Address = TokenEndpoint, ClientId = clientId, Code = code, RedirectUri = ClientDocuments.Callback, CodeVerifier = verifier,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
        };
        var unsigned = await browser.Http.RequestAuthorizationCodeTokenAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.HttpStatusCode);
        Assert.Equal("invalid_client", JsonDocument.Parse(unsigned.Raw!).RootElement.GetProperty("error").GetString());

        request.ClientAssertion = new ClientAssertion { Type = OidcConstants.ClientAssertionTypes.JwtBearer, Value = Assertion(clientId) };
        var signed = await browser.Http.RequestAuthorizationCodeTokenAsync(request);
        Assert.False(signed.IsError, signed.Error + " " + signed.ErrorDescription);
        Assert.Equal(clientId, OAuth.JwtPayload(signed.AccessToken!)["client_id"].GetString());
    }

    [Fact]
    public async Task APublicDocumentClientPushesItsRequestAndSignsAliceIn()
    {
        var clientId = documents.Serve("/pushed.json", ClientDocuments.Json(documents.Origin + "/pushed.json"));
        using var browser = server.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        var pushed = await browser.Http.PushAuthorizationAsync(new PushedAuthorizationRequest
        {
            Address = "http://localhost/connect/par", ClientId = clientId, ResponseType = "code", Scope = "openid tools",
            RedirectUri = "http://127.0.0.1:41000/callback", CodeChallenge = challenge, CodeChallengeMethod = "S256",
            ClientCredentialStyle = ClientCredentialStyle.PostBody, Resource = { MetadataDocumentServer.Tools },
        });
        Assert.False(pushed.IsError, pushed.Error + " " + pushed.Raw);

        var address = new RequestUrl("/connect/authorize").Create(new Parameters { { "client_id", clientId }, { "request_uri", pushed.RequestUri! } });
        var code = OAuth.Query(await OAuth.AuthorizeAsync(browser, address))["code"];
        var tokens = await browser.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = TokenEndpoint, ClientId = clientId, Code = code, RedirectUri = "http://127.0.0.1:41000/callback", CodeVerifier = verifier,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
        });
        Assert.False(tokens.IsError, tokens.Error);
        Assert.Equal(MetadataDocumentServer.Tools, OAuth.JwtPayload(tokens.AccessToken!)["aud"].GetString());
    }

    private string PublicKeys()
    {
        var r = rsa.ExportParameters(false);
        return JsonSerializer.Serialize(new
        {
            keys = new object[] { new { kty = "RSA", kid = "doc-1", use = "sig", alg = "RS256", n = Base64UrlEncoder.Encode(r.Modulus), e = Base64UrlEncoder.Encode(r.Exponent) } },
        });
    }

    private string Assertion(string clientId)
    {
        var issuedAt = server.Time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = "http://localhost/",
            Subject = new ClaimsIdentity([new Claim("sub", clientId), new Claim("jti", Guid.NewGuid().ToString("N"))]),
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + TimeSpan.FromMinutes(1),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = "doc-1" }, SecurityAlgorithms.RsaSha256),
            TokenType = "client-authentication+jwt",
        });
    }
}
