namespace IdentityServer.Admin.Console;

/// <summary>The dashboard's figures; <see cref="TokensByType"/> counts token rows (see <see cref="ConsoleDashboard"/>).</summary>
internal sealed record DashboardCounts(
    int Users,
    long Clients,
    int ActiveSessions,
    int TokenRows,
    IReadOnlyList<(string Type, int Count)> TokensByType,
    int SignInFailures,
    DateTimeOffset Since);
