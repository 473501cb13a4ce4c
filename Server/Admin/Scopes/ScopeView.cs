namespace IdentityServer.Admin.Scopes;

/// <summary>A scope as the admin API shows it; <see cref="Resources"/> are the audiences a token with it is for.</summary>
internal sealed record ScopeView(string Name, string? DisplayName, string? Description, IReadOnlyList<string> Resources, string ManagedBy);
