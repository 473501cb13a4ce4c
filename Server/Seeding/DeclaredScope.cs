namespace IdentityServer.Seeding;

/// <summary>A scope as configuration declares it.</summary>
internal sealed class DeclaredScope
{
    public string Name { get; set; } = "";

    public string? DisplayName { get; set; }

    public string? Description { get; set; }

    /// <summary>Audiences (APIs) a token with this scope is meant for.</summary>
    public List<string> Resources { get; set; } = [];
}
