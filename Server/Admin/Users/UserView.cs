namespace IdentityServer.Admin.Users;

/// <summary>A person's account as the admin API shows it: never a password hash, key or recovery code.</summary>
internal sealed record UserView(
    string Id,
    string UserName,
    string? Email,
    bool EmailConfirmed,
    string? Name,
    IReadOnlyList<string> Roles,
    bool HasPassword,
    bool TwoFactorEnabled,
    bool LockedOut,
    DateTimeOffset? LockoutEnd,
    DateTimeOffset UpdatedAt,
    string ManagedBy);
