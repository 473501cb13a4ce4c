using IdentityServer.Health;
using IdentityServer.Oidc;
using IdentityServer.RateLimiting;
using IdentityServer.Seeding;

namespace IdentityServer.Hosting;

internal static class HostingSetup
{
    public static IServiceCollection AddStartupTasks(this IServiceCollection services)
    {
        services.AddScoped<ConfigurationSeeder>();
        services.AddHostedService<StartupBanner>();
        return services;
    }

    public static WebApplication UseServer(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
            app.UseHsts();
        }

        app.UseMiddleware<DatabaseUnavailable>();
        app.UseStaticFiles();
        app.UseRateLimits();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        app.MapProtocolEndpoints();
        app.MapHealth();
        return app;
    }
}
