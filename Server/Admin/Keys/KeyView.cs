namespace IdentityServer.Admin.Keys;

/// <summary>A key the server signs or encrypts with: its public description only, never private material.</summary>
/// <param name="Use"><c>sig</c> (published in the JWKS) or <c>enc</c> (codes and refresh tokens stay with the server).</param>
/// <param name="NotBefore">From the key's certificate, when it has one; plain key files carry no validity.</param>
internal sealed record KeyView(string? Kid, string Algorithm, string Use, string KeyType, DateTimeOffset? NotBefore, DateTimeOffset? NotAfter);
