namespace IdentityServer.Admin.Clients;

/// <summary>A created client, or one whose secret was rotated: <see cref="ClientSecret"/> is shown this once and stored only hashed.</summary>
internal sealed record ClientCreated(ClientView Client, string? ClientSecret);
