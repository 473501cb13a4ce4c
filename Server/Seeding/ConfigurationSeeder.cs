namespace IdentityServer.Seeding;

/// <summary>
/// Applies the clients, scopes and users declared in configuration: creates what is missing and updates
/// what changed. Nothing is written when nothing changed, so restarting is free and idempotent.
/// </summary>
internal static partial class ConfigurationSeeder
{
    /// <summary>
    /// Applies everything. Scopes and clients, and users, are independent: each half runs in its own
    /// scope (its own DbContext) at the same time, so a user's password check (deliberately slow hashing)
    /// overlaps the protocol half instead of adding to the start-up time.
    /// </summary>
    public static async Task<int> SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var changes = await Task.WhenAll(
            InScopeAsync<ScopeAndClientSeeder>(services, seeder => seeder.SeedAsync(cancellationToken)),
            InScopeAsync<UserSeeder>(services, seeder => seeder.SeedAsync()));
        return changes.Sum();
    }

    public static IServiceCollection AddSeeding(this IServiceCollection services)
    {
        services.AddScoped<ScopeAndClientSeeder>();
        services.AddScoped<UserSeeder>();
        services.AddScoped<DeclaredEntries>();
        return services;
    }

    private static async Task<int> InScopeAsync<TSeeder>(IServiceProvider services, Func<TSeeder, Task<int>> seed)
        where TSeeder : notnull
    {
        await Task.Yield();
        await using var scope = services.CreateAsyncScope();
        return await seed(scope.ServiceProvider.GetRequiredService<TSeeder>());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Kind} '{Name}' from configuration")]
    public static partial void Created(this ILogger logger, string kind, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Kind} '{Name}': configuration no longer declares it")]
    public static partial void Removed(this ILogger logger, string kind, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updated {Kind} '{Name}' from configuration")]
    public static partial void Updated(this ILogger logger, string kind, string name);
}
