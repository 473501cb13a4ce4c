namespace IdentityServer.Registration;

internal static class RegistrationSetup
{
    /// <summary>
    /// The registered-client services are always there: clients registered while the feature was on keep working after
    /// it is turned off, and the prune job keeps removing the unused ones. The endpoint and discovery entry only when on.
    /// </summary>
    public static IServiceCollection AddRegistration(this IServiceCollection services, RegistrationOptions options)
    {
        services.AddScoped<RegisteredClients>();
        services.AddScoped<UnusedClients>();
        services.AddSingleton(new InitialAccessTokens(options));
        if (options.Enabled)
        {
            services.AddOpenIddict().AddServer(server => server.AddEventHandler(DiscoveryRegistrationHandler.Descriptor));
        }

        return services;
    }

    public static IEndpointRouteBuilder MapRegistration(this IEndpointRouteBuilder app, RegistrationOptions options)
    {
        if (!options.Enabled)
        {
            return app;
        }

        app.MapPost(RegistrationEndpoints.Path, RegistrationEndpoints.RegisterAsync).DisableAntiforgery();
        app.MapGet(RegistrationEndpoints.Path + "/{clientId}", RegistrationEndpoints.ReadAsync);
        app.MapDelete(RegistrationEndpoints.Path + "/{clientId}", RegistrationEndpoints.DeleteAsync).DisableAntiforgery();
        return app;
    }
}
