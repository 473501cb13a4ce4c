using System.Net;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace IdentityServer.Hosting;

internal static class HostingSetup
{
    public static IServiceCollection AddStartupTasks(this IServiceCollection services)
    {
        // Migrations and seeding run in StartingAsync, before any hosted service starts (see DatabaseInitializer).
        services.AddSingleton<DatabaseInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseInitializer>());
        services.AddHostedService<StartupBanner>();
        services.AddSingleton<AllowedHostsFromIssuer>();
        services.AddSingleton<IConfigureOptions<HostFilteringOptions>>(sp => sp.GetRequiredService<AllowedHostsFromIssuer>());
        services.AddSingleton<IValidateOptions<HostFilteringOptions>>(sp => sp.GetRequiredService<AllowedHostsFromIssuer>());
        services.AddOptions<HostFilteringOptions>().ValidateOnStart();
        return services;
    }

    /// <summary>Behind a load balancer: the client's address (rate limits, sessions) and scheme come from the proxy.</summary>
    public static WebApplication UseKnownProxies(this WebApplication app)
    {
        var proxies = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.KnownProxies;
        if (proxies.Count > 0)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            proxies.ForEach(p => forwarded.KnownProxies.Add(IPAddress.Parse(p)));
            app.UseForwardedHeaders(forwarded);
        }

        return app;
    }

    /// <summary>Outside Development: a plain error page instead of the developer page, and HSTS.</summary>
    public static WebApplication UseProductionErrorPages(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
            app.UseHsts();
        }

        return app;
    }
}
