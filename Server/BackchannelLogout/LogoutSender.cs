using System.Net;
using IdentityServer.Data;

namespace IdentityServer.BackchannelLogout;

/// <summary>What became of one delivery attempt.</summary>
internal enum DeliveryResult
{
    Delivered,

    /// <summary>A network failure, a timeout, a 5xx, 408 or 429: worth another attempt later.</summary>
    Retry,

    /// <summary>Any other answer (a 400 says the client refused the token): another attempt would get the same.</summary>
    Refused,
}

/// <summary>POSTs one logout token to a client's back-channel logout URI. The token is never logged.</summary>
internal sealed partial class LogoutSender(IHttpClientFactory clients, LogoutTokens tokens, ILogger<LogoutSender> logger)
{
    public const string ClientName = "backchannel-logout";

    public async Task<DeliveryResult> SendAsync(BackchannelLogoutNotice notice, CancellationToken ct)
    {
        try
        {
            using var content = new FormUrlEncodedContent([KeyValuePair.Create("logout_token", tokens.Create(notice))]);
            using var response = await clients.CreateClient(ClientName).PostAsync(new Uri(notice.Uri), content, ct);
            if (response.IsSuccessStatusCode)
            {
                return DeliveryResult.Delivered;
            }

            LogAnswered(notice.Id, notice.ClientId, (int)response.StatusCode);
            return response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500
                ? DeliveryResult.Retry
                : DeliveryResult.Refused;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            var failure = e is HttpRequestException ? "unreachable" : "timed out";
            LogUnreachable(notice.Id, notice.ClientId, failure);
            return DeliveryResult.Retry;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Back-channel logout {NoticeId} to client {ClientId}: the client answered {StatusCode}")]
    private partial void LogAnswered(long noticeId, string clientId, int statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Back-channel logout {NoticeId} to client {ClientId}: not delivered ({Failure})")]
    private partial void LogUnreachable(long noticeId, string clientId, string failure);
}
