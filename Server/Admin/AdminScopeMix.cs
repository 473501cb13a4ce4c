using System.Collections.Immutable;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Admin;

/// <summary>
/// Refuses, while an authorization or device request is validated, what <see cref="AdminScopeGrant"/> refuses at
/// sign-in: admin scopes together with another API's scopes or resources. Refused here, before anyone signs in, no
/// consent, grant or audit row is written for a request that can never get a token. Requests without an admin scope
/// cost one scan of their scopes.
/// </summary>
internal sealed class AdminScopeMix<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : OpenIddictServerEvents.BaseValidatingContext
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler<AdminScopeMix<TContext>>()
            // After OpenIddict's own checks (unknown scopes, permissions, resources): what is left is only the mix.
            .SetOrder(int.MaxValue - 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(TContext context)
    {
        if (context.Transaction.Request is not { } request)
        {
            return;
        }

        var scopes = request.GetScopes();
        if (!scopes.Any(AdminOptions.IsAdminScope))
        {
            return;
        }

        var others = scopes.Where(s => !AdminOptions.IsAdminScope(s)).ToImmutableArray();
        var mixed = request.GetResources().Any(r => r != AdminOptions.Audience);
        if (!mixed && others.Length > 0)
        {
            var manager = context.Transaction.GetHttpRequest()!.HttpContext.RequestServices.GetRequiredService<IOpenIddictScopeManager>();
            await foreach (var _ in manager.ListResourcesAsync(others, context.CancellationToken))
            {
                mixed = true;
                break;
            }
        }

        if (mixed)
        {
            context.Reject(Errors.InvalidScope, AdminScopeGrant.MixRefused);
        }
    }
}
