using IdentityServer.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace IdentityServer.Health;

/// <summary>/health/live: the process answers. /health/ready: database reachable, migrations applied, keys loaded.</summary>
internal static class HealthSetup
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<ApplicationDbContext>("database", tags: ["ready"])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: ["ready"])
            .AddCheck<KeysHealthCheck>("keys", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
