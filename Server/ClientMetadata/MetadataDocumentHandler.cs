using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.ClientMetadata;

/// <summary>
/// Before OpenIddict looks the client up (and, for a pushed request, checks its assertion against its keys), an
/// authorization or pushed request whose client_id is a URL has its metadata document turned into a client row;
/// when the document cannot be used the request ends here with the reason, on this server's error page — never
/// a redirect to a URI nobody vouched for.
/// </summary>
internal sealed class MetadataDocumentHandler(MetadataDocumentClients clients) : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .AddFilter<RequireDocumentClientId>()
            .UseScopedHandler<MetadataDocumentHandler>()
            .SetOrder(OpenIddictServerHandlers.ValidateAuthenticationDemand.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (await clients.EnsureAsync(context.Request!.ClientId!, context.CancellationToken) is { } refusal)
        {
            context.Reject(refusal.Error, refusal.Description);
        }
    }

    /// <summary>
    /// Decides before the handler (and its scoped services) is created: every token request passes through this
    /// event, and must pay no more than this check.
    /// </summary>
    internal sealed class RequireDocumentClientId : IOpenIddictServerHandlerFilter<ProcessAuthenticationContext>
    {
        public ValueTask<bool> IsActiveAsync(ProcessAuthenticationContext context) => ValueTask.FromResult(
            context.EndpointType is OpenIddictServerEndpointType.Authorization or OpenIddictServerEndpointType.PushedAuthorization
            && context.Request?.ClientId is { } clientId && MetadataDocumentClients.LooksLikeDocumentUrl(clientId));
    }
}
