using IdentityServer.Data;
using Microsoft.Extensions.Options;
using Quartz;

namespace IdentityServer.Keys;

/// <summary>
/// Moves the signing keys along their schedule (<see cref="KeyRotation.MaintainAsync"/>). Every instance's scheduler
/// fires; the lease lets one of them write, and each instance's ring picks the change up within a minute.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class KeyRotationJob(IServiceScopeFactory scopes, KeyRing ring, IOptions<KeyRotationOptions> options, ILogger<KeyRotationJob> logger) : IJob
{
    public static readonly JobKey Key = new("key-rotation", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await RunAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e);
        }
    }

    /// <summary>The changes made, or null when another instance holds this period's lease.</summary>
    public async Task<IReadOnlyList<KeyChange>?> RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<KeyChange> changes;
        await using (var scope = scopes.CreateAsyncScope())
        {
            if (!await scope.ServiceProvider.GetRequiredService<JobLeases>().TryAcquireAsync(Key.Name, options.Value.CheckInterval / 2, cancellationToken))
            {
                return null;
            }

            changes = await scope.ServiceProvider.GetRequiredService<KeyRotation>().MaintainAsync(cancellationToken);
        }

        foreach (var change in changes)
        {
            LogChange(change.Algorithm, change.Kid, change.What);
        }

        await ring.RefreshAsync(cancellationToken);
        return changes;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing key {Algorithm} {Kid}: {What}")]
    private partial void LogChange(string algorithm, string kid, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key rotation run failed; the next firing tries again")]
    private partial void LogFailed(Exception exception);
}
