namespace IdentityServer.Registration;

/// <summary>What a registration request asked for, once checked: the only shapes of client this server registers.</summary>
internal sealed record ClientMetadata(
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<string> Scopes,
    string? ClientName,
    string? ClientUri,
    string? LogoUri);
