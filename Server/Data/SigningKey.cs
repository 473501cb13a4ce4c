namespace IdentityServer.Data;

/// <summary>
/// A token-signing key (<c>SigningKeys</c> table). Its state follows from its times and its successors'
/// (the key schedule in Server/Keys): announced in the JWKS before <see cref="ActivatesAt"/>, then active until a
/// successor activates, then retired and still published for the retention period, then deleted.
/// </summary>
internal sealed class SigningKey
{
    /// <summary>The RFC 7638 JWK thumbprint, which is also the <c>kid</c> in the JWKS and in token headers.</summary>
    public string Kid { get; set; } = "";

    /// <summary><c>RS256</c> or <c>ES256</c>.</summary>
    public string Algorithm { get; set; } = "";

    /// <summary>The private key (PKCS#8) encrypted with ASP.NET Core Data Protection; never stored in the clear.</summary>
    public string ProtectedKey { get; set; } = "";

    /// <summary>UTC ticks.</summary>
    public long CreatedAt { get; set; }

    /// <summary>UTC ticks: from this instant the key signs tokens (until a successor activates).</summary>
    public long ActivatesAt { get; set; }

    /// <summary><c>generated</c>, or <c>imported</c> from a key file when rotation was first switched on.</summary>
    public string Origin { get; set; } = "";
}
