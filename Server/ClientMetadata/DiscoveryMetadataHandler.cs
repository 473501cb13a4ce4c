using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.ClientMetadata;

/// <summary>Discovery says a URL may serve as client_id (draft-ietf-oauth-client-id-metadata-document), only while the feature is on.</summary>
internal sealed class DiscoveryMetadataHandler : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public const string Supported = "client_id_metadata_document_supported";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<DiscoveryMetadataHandler>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachAdditionalMetadata.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        context.Metadata[Supported] = new OpenIddictParameter(true);
        return ValueTask.CompletedTask;
    }
}
