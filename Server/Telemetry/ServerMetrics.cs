using System.Diagnostics.Metrics;

namespace IdentityServer.Telemetry;

/// <summary>The server's own counters (meter "IdentityServer"). Labels never carry a secret, code or token.</summary>
internal sealed class ServerMetrics
{
    public const string MeterName = "IdentityServer";
    private readonly Counter<long> tokensIssued;
    private readonly Counter<long> tokenErrors;
    private readonly Counter<long> signIns;
    private readonly Counter<long> pruneRuns;
    private readonly Counter<long> prunedRows;
    private readonly Counter<long> logoutDeliveries;

    public ServerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        tokensIssued = meter.CreateCounter<long>("identityserver.tokens.issued", "{token_response}", "Successful token endpoint responses, by grant type and client.");
        tokenErrors = meter.CreateCounter<long>("identityserver.tokens.errors", "{token_response}", "Failed token endpoint responses, by OAuth error code.");
        signIns = meter.CreateCounter<long>("identityserver.signins", "{attempt}", "Password sign-in attempts, by result.");
        pruneRuns = meter.CreateCounter<long>("identityserver.prune.runs", "{run}", "Prune job runs, by result.");
        prunedRows = meter.CreateCounter<long>("identityserver.prune.rows", "{row}", "Rows removed by the prune job, by kind.");
        logoutDeliveries = meter.CreateCounter<long>("identityserver.backchannel_logout.attempts", "{attempt}",
            "Back-channel logout token deliveries, by client and result (delivered, retrying, given_up).");
    }

    public void TokenIssued(string? grantType, string? clientId) =>
        tokensIssued.Add(1, new("grant_type", grantType ?? "unknown"), new("client_id", clientId ?? "unknown"));

    public void TokenError(string error) => tokenErrors.Add(1, new KeyValuePair<string, object?>("error", error));

    public void SignIn(bool succeeded) => signIns.Add(1, new KeyValuePair<string, object?>("result", succeeded ? "succeeded" : "failed"));

    public void Pruned(long tokens, long authorizations, long sessions, long clients)
    {
        pruneRuns.Add(1, new KeyValuePair<string, object?>("result", "succeeded"));
        prunedRows.Add(tokens, new KeyValuePair<string, object?>("kind", "token"));
        prunedRows.Add(authorizations, new KeyValuePair<string, object?>("kind", "authorization"));
        prunedRows.Add(sessions, new KeyValuePair<string, object?>("kind", "session"));
        prunedRows.Add(clients, new KeyValuePair<string, object?>("kind", "client"));
    }

    public void LogoutDelivery(string clientId, string result) =>
        logoutDeliveries.Add(1, new KeyValuePair<string, object?>("client_id", clientId), new KeyValuePair<string, object?>("result", result));

    public void PruneFailed() => pruneRuns.Add(1, new KeyValuePair<string, object?>("result", "failed"));
}
