namespace IdentityServer.Admin.Clients;

/// <summary>A client as the admin API shows it. Never its secret: only whether it has one.</summary>
internal sealed record ClientView(
    string ClientId,
    string? DisplayName,
    string Type,
    bool HasSecret,
    bool FirstParty,
    bool AllowIntrospection,
    IReadOnlyList<string> GrantTypes,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    string ManagedBy);
