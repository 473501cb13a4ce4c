namespace IdentityServer.Registration;

/// <summary>Who may register a client at the registration endpoint.</summary>
internal enum RegistrationPolicy
{
    /// <summary>Anyone who can reach the endpoint (within the per-address rate limit).</summary>
    Open,

    /// <summary>Only a caller presenting one of the configured initial access tokens as a bearer token (RFC 7591 §3).</summary>
    InitialAccessToken,
}
