namespace IdentityServer.Oidc;

/// <summary>The per-client settings this server keeps beside OpenIddict's own in an application's settings.</summary>
internal static class ClientSettings
{
    /// <summary>Space-separated audiences a subject token must carry (one of them) for the client to exchange it.</summary>
    public const string SubjectTokenAudiences = "idsrv:subject_token_audiences";

    /// <summary>"true" when the client's exchanged tokens carry no <c>act</c> claim.</summary>
    public const string AllowImpersonation = "idsrv:allow_impersonation";
}
