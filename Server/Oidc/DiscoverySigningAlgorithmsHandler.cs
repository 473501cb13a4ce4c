using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>Identity tokens are always RS256; discovery must not advertise the access-token-only ECDSA key for them.</summary>
internal sealed class DiscoverySigningAlgorithmsHandler : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<DiscoverySigningAlgorithmsHandler>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachSigningAlgorithms.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        context.IdTokenSigningAlgorithms.RemoveWhere(alg => alg != SecurityAlgorithms.RsaSha256);
        return ValueTask.CompletedTask;
    }
}
