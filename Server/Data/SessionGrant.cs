namespace IdentityServer.Data;

/// <summary>Links an OpenIddict authorization (and so its codes and refresh tokens) to the session that created it.</summary>
internal sealed class SessionGrant
{
    public string SessionId { get; set; } = "";

    public string AuthorizationId { get; set; } = "";

    /// <summary>
    /// Set when the grant was carried over to a re-issued session after a credential change made in that
    /// browser: the hash of the security stamp it was carried under. Its refresh tokens keep working under
    /// that stamp; every other token issued before a stamp change is refused.
    /// </summary>
    public string? CarriedStamp { get; set; }
}
