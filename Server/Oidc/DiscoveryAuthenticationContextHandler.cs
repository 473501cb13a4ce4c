using IdentityServer.Sessions;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>Discovery names the acr values this server issues and honours (<c>acr_values=mfa</c> asks for a second factor).</summary>
internal sealed class DiscoveryAuthenticationContextHandler : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<DiscoveryAuthenticationContextHandler>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachAdditionalMetadata.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        context.Metadata[OpenIddictConstants.Metadata.AcrValuesSupported] = new OpenIddictParameter([.. AuthenticationMethods.SupportedContexts]);
        return ValueTask.CompletedTask;
    }
}
