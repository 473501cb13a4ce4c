namespace IdentityServer.Admin.Sessions;

/// <summary>How many sessions an end request ended.</summary>
internal sealed record SessionsEnded(int Ended);
