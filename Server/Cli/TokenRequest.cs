namespace IdentityServer.Cli;

/// <summary>What <c>token</c> is asked to mint: for a person (<see cref="UserName"/>, optionally through a client) or for a client alone.</summary>
internal sealed record TokenRequest(
    string? UserName,
    string? ClientId,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Audiences,
    TimeSpan? Lifetime,
    IReadOnlyList<KeyValuePair<string, string>> Claims,
    Uri Issuer);
