using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// Public clients (PKCE, no credentials) are served by the token and pushed-request endpoints, so discovery lists
/// <c>none</c> among their authentication methods, first: some MCP clients look for it before they offer a public
/// identity, and the MCP C# SDK uses the first method listed.
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
            PutNoneFirst(context.TokenEndpointAuthenticationMethods);
        }

        if (context.PushedAuthorizationEndpoint is not null)
        {
            PutNoneFirst(context.PushedAuthorizationEndpointAuthenticationMethods);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A set written in the order of insertion (nothing is removed from it before): rebuilt with none first.</summary>
    private static void PutNoneFirst(HashSet<string> methods)
    {
        var others = methods.Where(m => m != ClientAuthenticationMethods.None).ToList();
        methods.Clear();
        methods.Add(ClientAuthenticationMethods.None);
        methods.UnionWith(others);
    }
}
