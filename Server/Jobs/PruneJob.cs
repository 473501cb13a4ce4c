using IdentityServer.Data;
using IdentityServer.Telemetry;
using Microsoft.Extensions.Options;
using Quartz;

namespace IdentityServer.Jobs;

/// <summary>The scheduled prune: retried a bounded number of times, never two at once, cancelled on shutdown.</summary>
[DisallowConcurrentExecution]
internal sealed partial class PruneJob(IServiceScopeFactory scopes, IOptions<PruningOptions> options, TimeProvider time, ServerMetrics metrics, ILogger<PruneJob> logger) : IJob
{
    public static readonly JobKey Key = new("prune", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await RunScheduledAsync(cancellationToken);

    /// <summary>A scheduled firing: runs only on the instance that takes this period's lease.</summary>
    public async Task<PruneResult?> RunScheduledAsync(CancellationToken cancellationToken)
    {
        var pruning = options.Value;
        var lease = pruning.Cron is { Length: > 0 } ? TimeSpan.FromMinutes(30) : pruning.Interval / 2;
        await using (var scope = scopes.CreateAsyncScope())
        {
            if (!await scope.ServiceProvider.GetRequiredService<JobLeases>().TryAcquireAsync(Key.Name, lease, cancellationToken))
            {
                LogSkipped();
                return null;
            }
        }

        return await RunAsync(cancellationToken);
    }

    /// <summary>Returns the result, or null when every attempt failed (the next firing tries again).</summary>
    public async Task<PruneResult?> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<Pruner>().PruneAsync(cancellationToken);
                LogPruned(result.Tokens, result.Authorizations, result.Sessions, result.Clients, result.AuditEvents, (long)result.Duration.TotalMilliseconds);
                metrics.Pruned(result.Tokens, result.Authorizations, result.Sessions, result.Clients);
                return result;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < settings.MaxAttempts)
            {
                LogRetry(e, attempt, settings.MaxAttempts);
                await Task.Delay(settings.RetryDelay, time, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogGaveUp(e, attempt);
                metrics.PruneFailed();
                return null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Prune skipped: another instance holds this period's lease")]
    private partial void LogSkipped();

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Tokens} token(s), {Authorizations} authorization(s), {Sessions} session(s), {Clients} unused registered client(s), {AuditEvents} audit event(s) in {Milliseconds} ms")]
    private partial void LogPruned(long tokens, long authorizations, long sessions, long clients, long auditEvents, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prune attempt {Attempt} of {MaxAttempts} failed; retrying")]
    private partial void LogRetry(Exception exception, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Prune failed after {Attempts} attempt(s); the next firing will try again")]
    private partial void LogGaveUp(Exception exception, int attempts);
}
