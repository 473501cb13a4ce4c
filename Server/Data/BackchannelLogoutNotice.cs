namespace IdentityServer.Data;

/// <summary>
/// A logout token still to be delivered: one row per client and ended session, written before the session
/// row goes, so no notification is lost to a crash or a restart. The token itself is made at each attempt
/// and never stored.
/// </summary>
internal sealed class BackchannelLogoutNotice
{
    public long Id { get; set; }

    public string ClientId { get; set; } = "";

    /// <summary>The client's back-channel logout URI as it was declared when the session ended.</summary>
    public string Uri { get; set; } = "";

    /// <summary>The user (<c>sub</c>).</summary>
    public string Subject { get; set; } = "";

    /// <summary>The session's public id (<c>sid</c>); null for a session started before sids existed.</summary>
    public string? SessionId { get; set; }

    public int Attempts { get; set; }

    /// <summary>UTC ticks.</summary>
    public long CreatedAt { get; set; }

    /// <summary>
    /// UTC ticks: when the next attempt is due. A sender that claims the row moves it forward by its lease,
    /// so no other instance takes the row while it is being sent, and a sender that dies frees it.
    /// </summary>
    public long NextAttemptAt { get; set; }

    /// <summary>The claim of the sender that holds the row now (random per run).</summary>
    public string? ClaimToken { get; set; }
}
