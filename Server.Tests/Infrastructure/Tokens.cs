using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Tests.Infrastructure;

/// <summary>Reads issued JWTs the way an API or a client library does: signature checked against the published keys.</summary>
public static class Tokens
{
    /// <summary>
    /// The token, validated with Microsoft's JsonWebTokenHandler against the server's JWKS and issuer. Lifetime is not
    /// judged: the server runs on a fake clock that tests move.
    /// </summary>
    public static async Task<JsonWebToken> ValidatedAsync(HttpClient http, string jwt, string type)
    {
        var jwks = new JsonWebKeySet(await http.GetStringAsync("/.well-known/jwks"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = "http://localhost/",
            ValidateAudience = false,
            ValidateLifetime = false,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = [type],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }

    /// <summary>The <c>amr</c> claim as it is on the wire, which must be a JSON array.</summary>
    public static string[] Amr(string jwt)
    {
        var amr = OAuth.JwtPayload(jwt)["amr"];
        Assert.Equal(JsonValueKind.Array, amr.ValueKind);
        return [.. amr.EnumerateArray().Select(v => v.GetString()!)];
    }
}
