using IdentityServer.Seeding;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// RFC 8707 §2 and RFC 8693 §2.2.2 answer a resource or audience the client cannot have with <c>invalid_target</c>,
/// whether it is malformed, unknown or not permitted; OpenIddict says <c>invalid_request</c> for the malformed and the
/// unpermitted ones. These run just before its own checks and give the RFCs' answer. The permission check runs
/// where OpenIddict's does (after the client is authenticated), so nobody learns a client's permissions without
/// being that client; a request naming no resource costs nothing.
/// </summary>
internal sealed class ResourceRules<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : BaseValidatingContext
{
    private readonly bool permissions;

    private ResourceRules(bool permissions) => this.permissions = permissions;

    /// <summary>Absolute URIs without a fragment; runs before any other check of the parameters.</summary>
    public static OpenIddictServerHandlerDescriptor Syntax { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler(new ResourceRules<TContext>(permissions: false))
            .SetOrder(int.MinValue + 2)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    /// <summary>Each named resource (and audience) permitted to the client; <paramref name="order"/> puts it just before OpenIddict's own check.</summary>
    public static OpenIddictServerHandlerDescriptor Permissions(int order) =>
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler(new ResourceRules<TContext>(permissions: true))
            .SetOrder(order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(TContext context)
    {
        // The common case, a request naming neither, costs two dictionary look-ups.
        if (context.Transaction.Request is not { } request
            || (!request.HasParameter(Parameters.Resource) && !request.HasParameter(Parameters.Audience)))
        {
            return;
        }

        var resources = request.GetResources();
        var audiences = request.GetAudiences();
        if (resources.IsEmpty && audiences.IsEmpty)
        {
            return;
        }

        if (!permissions)
        {
            if (resources.FirstOrDefault(r => !ResourceUris.IsValid(r)) is { } malformed)
            {
                context.Reject(Errors.InvalidTarget, $"The resource '{malformed}' is not an absolute URI without a fragment (RFC 8707 §2).");
            }

            return;
        }

        if (request.ClientId is not { } clientId)
        {
            return;
        }

        var applications = context.Transaction.GetHttpRequest()!.HttpContext.RequestServices.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(clientId, context.CancellationToken) is not { } application)
        {
            return;
        }

        foreach (var (kind, prefix, values) in new[] { ("resource", OpenIddictConstants.Permissions.Prefixes.Resource, resources), ("audience", OpenIddictConstants.Permissions.Prefixes.Audience, audiences) })
        {
            foreach (var value in values)
            {
                if (!await applications.HasPermissionAsync(application, prefix + value, context.CancellationToken))
                {
                    context.Reject(Errors.InvalidTarget, $"This client may not ask for the {kind} '{value}'.");
                    return;
                }
            }
        }
    }
}
