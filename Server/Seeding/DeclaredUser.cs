namespace IdentityServer.Seeding;

/// <summary>A user account as configuration declares it (demo users, test fixtures).</summary>
internal sealed class DeclaredUser
{
    public string UserName { get; set; } = "";

    public string? Email { get; set; }

    public string? Password { get; set; }

    public string? Name { get; set; }

    public bool EmailConfirmed { get; set; } = true;

    public List<string> Roles { get; set; } = [];
}
