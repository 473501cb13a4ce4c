namespace IdentityServer.ClientMetadata;

internal static class ClientMetadataSetup
{
    /// <summary>
    /// Client ID metadata documents, when enabled: the fetcher, the client rows, the request handler and the discovery
    /// entry. The pruning of unused document clients is there either way, so rows left while it was on still go.
    /// </summary>
    public static IServiceCollection AddClientMetadataDocuments(this IServiceCollection services, ClientMetadataOptions options)
    {
        services.AddScoped<UnusedDocumentClients>();
        if (!options.Enabled)
        {
            return services;
        }

        services.AddSingleton<HostResolver>();
        services.AddSingleton<DocumentTls>();
        services.AddSingleton<DocumentFetcher>();
        services.AddScoped<MetadataDocumentClients>();
        services.AddSingleton<MetadataDocumentHandler.RequireDocumentClientId>();
        services.AddOpenIddict().AddServer(server => server
            .AddEventHandler(MetadataDocumentHandler.Descriptor)
            .AddEventHandler(DiscoveryMetadataHandler.Descriptor));
        return services;
    }
}
