namespace IdentityServer.Data;

/// <summary>
/// Who runs a scheduled job this period. Every instance's scheduler fires; the one that moves
/// <see cref="ExpiresAt"/> forward first (one atomic UPDATE) runs, the others skip.
/// </summary>
internal sealed class JobLease
{
    public string Name { get; set; } = "";

    public string Holder { get; set; } = "";

    /// <summary>UTC ticks.</summary>
    public long ExpiresAt { get; set; }
}
