using IdentityServer.Data;
using Quartz;

namespace IdentityServer.Jobs;

internal static class JobsSetup
{
    /// <param name="schedules">Other features' jobs and triggers for the same scheduler (a null one is off).</param>
    public static IServiceCollection AddJobs(this IServiceCollection services, PruningOptions pruning, params Action<IQuartzBuilder>?[] schedules)
    {
        services.AddScoped<Pruner>();
        services.AddScoped<JobLeases>();
        services.AddTransient<PruneJob>();
        var others = schedules.OfType<Action<IQuartzBuilder>>().ToList();
        if (!pruning.Enabled && others.Count == 0)
        {
            return services;
        }

        services.AddQuartz(q =>
        {
            if (pruning.Enabled)
            {
                SchedulePrune(q, pruning);
            }

            others.ForEach(schedule => schedule(q));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    private static void SchedulePrune(IQuartzBuilder q, PruningOptions pruning)
    {
        q.AddJob<PruneJob>(j => j.WithIdentity(PruneJob.Key));

        // A randomised first firing keeps instances restarted together from pruning at the same moment.
        var firstRun = DateTimeOffset.UtcNow + pruning.FirstRunDelay + (pruning.FirstRunDelay * Random.Shared.NextDouble());
        q.AddTrigger(t =>
        {
            t.ForJob(PruneJob.Key).WithIdentity("prune-trigger", "maintenance").StartAt(firstRun);
            if (pruning.Cron is { Length: > 0 } cron)
            {
                t.WithCronSchedule(cron);
            }
            else
            {
                t.WithSimpleSchedule(s => s.WithInterval(pruning.Interval).RepeatForever());
            }
        });
    }
}
