namespace IdentityServer.Admin.Grants;

/// <summary>An authorization (a grant): which person let which client do what, and whether it still stands.</summary>
internal sealed record GrantView(string Id, string? UserId, string? ClientId, string? Type, string? Status, IReadOnlyList<string> Scopes, DateTime? CreatedAt);
