namespace IdentityServer.Admin.Scopes;

/// <summary>A scope to create, or the new state of one to update (<see cref="Name"/> is then taken from the address).</summary>
internal sealed record ScopeInput
{
    public string? Name { get; init; }

    public string? DisplayName { get; init; }

    public string? Description { get; init; }

    /// <summary>The audiences (APIs) a token with this scope is for.</summary>
    public List<string> Resources { get; init; } = [];
}
