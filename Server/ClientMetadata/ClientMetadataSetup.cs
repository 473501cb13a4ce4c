namespace IdentityServer.ClientMetadata;

internal static class ClientMetadataSetup
{
    /// <summary>Client ID metadata documents, when enabled: the fetcher, the client rows, the request handler and the discovery entry.</summary>
    public static IServiceCollection AddClientMetadataDocuments(this IServiceCollection services, ClientMetadataOptions options)
    {
        if (!options.Enabled)
        {
            return services;
        }

        services.AddSingleton<HostResolver>();
        services.AddSingleton<DocumentFetcher>();
        services.AddScoped<MetadataDocumentClients>();
        services.AddSingleton<MetadataDocumentHandler.RequireDocumentClientId>();
        services.AddOpenIddict().AddServer(server => server
            .AddEventHandler(MetadataDocumentHandler.Descriptor)
            .AddEventHandler(DiscoveryMetadataHandler.Descriptor));
        return services;
    }
}
