using Quartz;

namespace IdentityServer.BackchannelLogout;

/// <summary>
/// Every instance drains the outbox on each firing; the row claims (<see cref="LogoutDrainer"/>) keep two
/// instances from sending the same notification, so no lease is needed. A failed run is simply the next
/// firing's to repeat: the rows stay in the table.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class BackchannelLogoutJob(IServiceScopeFactory scopes, ILogger<BackchannelLogoutJob> logger) : IJob
{
    public static readonly JobKey Key = new("backchannel-logout", "notifications");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<LogoutDrainer>().DrainAsync(cancellationToken);
            if (result.Delivered + result.Retrying + result.GivenUp > 0)
            {
                LogDrained(result.Delivered, result.Retrying, result.GivenUp);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Back-channel logout: {Delivered} delivered, {Retrying} to retry, {GivenUp} given up")]
    private partial void LogDrained(int delivered, int retrying, int givenUp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Back-channel logout run failed; the next firing tries again")]
    private partial void LogFailed(Exception exception);
}
