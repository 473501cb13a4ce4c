namespace IdentityServer.Admin.Users;

/// <summary>
/// An account to create, or the new state of one to update (<see cref="UserName"/> and <see cref="Password"/> are
/// read only on create). Without a password, the person sets one through the reset-password email.
/// </summary>
internal sealed record UserInput
{
    public string? UserName { get; init; }

    public string? Email { get; init; }

    public string? Name { get; init; }

    public bool EmailConfirmed { get; init; }

    public List<string> Roles { get; init; } = [];

    public string? Password { get; init; }
}
