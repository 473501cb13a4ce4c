namespace IdentityServer.Admin.Grants;

/// <summary>A revoked grant, and how many of its tokens (refresh, access, codes) were revoked with it.</summary>
internal sealed record GrantsRevoked(GrantView Grant, long TokensRevoked);
