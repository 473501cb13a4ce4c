namespace IdentityServer.Data;

/// <summary>
/// A client, scope or user that configuration declared. Only these rows are removed when configuration
/// stops declaring them; rows made any other way (registration, later an admin API) are never touched.
/// </summary>
internal sealed class ConfiguredEntry
{
    public const string Client = "client";
    public const string Scope = "scope";
    public const string User = "user";

    public string Kind { get; set; } = "";

    /// <summary>The client id, scope name or user name.</summary>
    public string Name { get; set; } = "";
}
