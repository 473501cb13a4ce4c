namespace IdentityServer.Sessions;

/// <summary>Links an OpenIddict authorization (and so its codes and refresh tokens) to the session that created it.</summary>
internal sealed class SessionGrant
{
    public string SessionId { get; set; } = "";

    public string AuthorizationId { get; set; } = "";
}
