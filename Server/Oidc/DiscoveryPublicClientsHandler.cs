using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// Public clients (PKCE, no credentials) are served by the token and pushed-request endpoints, so discovery lists
/// <c>none</c> among their authentication methods; some MCP clients look for it before they offer a public identity.
/// </summary>
internal sealed class DiscoveryPublicClientsHandler : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<DiscoveryPublicClientsHandler>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachClientAuthenticationMethods.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        if (context.TokenEndpoint is not null)
        {
            context.TokenEndpointAuthenticationMethods.Add(ClientAuthenticationMethods.None);
        }

        if (context.PushedAuthorizationEndpoint is not null)
        {
            context.PushedAuthorizationEndpointAuthenticationMethods.Add(ClientAuthenticationMethods.None);
        }

        return ValueTask.CompletedTask;
    }
}
