using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Validation;
using Quartz;

namespace IdentityServer.Keys;

internal static class KeysSetup
{
    /// <summary>Signing keys from the database, rotated on schedule (<see cref="KeyRotationOptions"/>).</summary>
    public static IServiceCollection AddSigningKeyRotation(this IServiceCollection services)
    {
        services.AddScoped<KeyRotation>();
        services.AddSingleton<KeyRing>();
        services.AddTransient<KeyRotationJob>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, KeyRingServerOptions>();
        services.AddSingleton<KeyRingChanges>();
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(provider => provider.GetRequiredService<KeyRingChanges>());
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictValidationOptions>>(provider => provider.GetRequiredService<KeyRingChanges>());
        return services;
    }

    public static Action<IQuartzBuilder>? Schedule(KeyRotationOptions options) => !options.Enabled ? null : q =>
    {
        q.AddJob<KeyRotationJob>(j => j.WithIdentity(KeyRotationJob.Key));

        // The first run soon after start-up (a randomised minute, so instances started together spread out).
        q.AddTrigger(t => t.ForJob(KeyRotationJob.Key).WithIdentity("key-rotation-trigger", "maintenance")
            .StartAt(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1 + Random.Shared.NextDouble()))
            .WithSimpleSchedule(s => s.WithInterval(options.CheckInterval).RepeatForever()));
    };

    /// <summary>
    /// Before the server serves anything (the caller holds the start-up lock): each algorithm in use gets its first
    /// key (the key file's, when there is one), and the ring is loaded so OpenIddict has keys to sign with.
    /// </summary>
    public static async Task PrepareSigningKeysAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<KeyRing>() is not { } ring)
        {
            return;
        }

        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<KeyRotation>().EnsureAsync(cancellationToken);
        }

        await ring.RefreshAsync(cancellationToken);
    }

    public static IApplicationBuilder UseSigningKeyRefresh(this IApplicationBuilder app) =>
        app.ApplicationServices.GetService<KeyRing>() is null ? app : app.UseMiddleware<KeyRingRefresh>();
}
