namespace IdentityServer.Admin.Keys;

/// <summary>A key the server signs or encrypts with: its public description only, never private material.</summary>
/// <param name="Use"><c>sig</c> (published in the JWKS) or <c>enc</c> (codes and refresh tokens stay with the server).</param>
/// <param name="NotBefore">From the key's certificate, when it has one; plain key files carry no validity.</param>
/// <param name="State">For rotating signing keys: <c>announced</c>, <c>active</c> or <c>retired</c>; null for key files.</param>
/// <param name="ActivatesAt">For rotating signing keys: when it starts (or started) to sign.</param>
/// <param name="RetiredAt">For retired keys: when the successor took over (it leaves the JWKS a retention period later).</param>
internal sealed record KeyView(string? Kid, string Algorithm, string Use, string KeyType, DateTimeOffset? NotBefore, DateTimeOffset? NotAfter,
    string? State = null, DateTimeOffset? ActivatesAt = null, DateTimeOffset? RetiredAt = null, string? Origin = null);
