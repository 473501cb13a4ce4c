namespace IdentityServer.Tests.Infrastructure;

/// <summary>Token request forms, written once.</summary>
public static class Grants
{
    /// <summary>A client_credentials request, optionally with a scope; a new, mutable form each time.</summary>
    public static Dictionary<string, string> ClientCredentials(string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        return form;
    }

    /// <summary>A machine token for the demo machine client (or another client's credentials).</summary>
    public static Task<HttpResponseMessage> MachineTokenAsync(HttpClient http, string? scope = "api", (string Id, string Secret)? client = null) =>
        OAuth.TokenAsync(http, ClientCredentials(scope), client ?? (OAuth.Machine, OAuth.MachineSecret));

    public static Dictionary<string, string> RefreshToken(string clientId, string refreshToken) => new()
    {
        ["grant_type"] = "refresh_token", ["client_id"] = clientId, ["refresh_token"] = refreshToken,
    };
}
