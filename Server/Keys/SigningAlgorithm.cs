namespace IdentityServer.Keys;

/// <summary>The algorithm that signs access tokens (identity tokens are always RS256, OpenID Connect's default).</summary>
internal enum SigningAlgorithm
{
    RS256,
    ES256,
}
