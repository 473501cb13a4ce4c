using Quartz;

namespace IdentityServer.BackchannelLogout;

internal static class BackchannelLogoutSetup
{
    /// <summary>
    /// The outbox and its sender. <see cref="LogoutOutbox"/> is always registered (the session store calls it; it
    /// queues nothing when the feature is off); the sender, the discovery entries and the schedule only when on.
    /// </summary>
    public static IServiceCollection AddBackchannelLogout(this IServiceCollection services, BackchannelLogoutOptions options)
    {
        services.AddScoped<LogoutOutbox>();
        services.AddSingleton<LogoutTokens>();
        services.AddScoped<LogoutSender>();
        services.AddScoped<LogoutDrainer>();
        services.AddTransient<BackchannelLogoutJob>();
        services.AddHttpClient(LogoutSender.ClientName, c => c.Timeout = options.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = options.RequestTimeout, UseCookies = false });
        if (options.Enabled)
        {
            services.AddOpenIddict().AddServer(server => server.AddEventHandler(DiscoveryMetadataHandler.Descriptor));
        }

        return services;
    }

    /// <summary>The drain job's schedule, for the Quartz scheduler that <c>Jobs</c> composes; null when the feature is off.</summary>
    public static Action<IQuartzBuilder>? Schedule(BackchannelLogoutOptions options) => !options.Enabled ? null : q =>
    {
        q.AddJob<BackchannelLogoutJob>(j => j.WithIdentity(BackchannelLogoutJob.Key));
        q.AddTrigger(t => t.ForJob(BackchannelLogoutJob.Key).WithIdentity("backchannel-logout-trigger", "notifications")
            .StartAt(DateTimeOffset.UtcNow + options.PollInterval)
            .WithSimpleSchedule(s => s.WithInterval(options.PollInterval).RepeatForever()));
    };
}
