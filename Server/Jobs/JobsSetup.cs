using Quartz;

namespace IdentityServer.Jobs;

internal static class JobsSetup
{
    public static IServiceCollection AddJobs(this IServiceCollection services, PruningOptions pruning)
    {
        services.AddScoped<Pruner>();
        services.AddScoped<JobLeases>();
        services.AddTransient<PruneJob>();
        if (!pruning.Enabled)
        {
            return services;
        }

        services.AddQuartz(q =>
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
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
