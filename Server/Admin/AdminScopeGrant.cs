using System.Security.Claims;
using IdentityServer.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Admin;

/// <summary>
/// Where admin scopes are granted. A token with <c>admin.read</c> or <c>admin.write</c> is for the admin API
/// (audience <c>admin-api</c>). A client must be permitted the scopes (configuration lists them in its Scopes);
/// when a person signs in through such a client (code + PKCE, device, refresh), the person must also hold the
/// <c>admin</c> role: without it the admin scopes are dropped from the grant, and the token says so in its
/// <c>scope</c>. Runs before OpenIddict prepares any token, at the authorization and at the token endpoint alike.
/// </summary>
internal sealed class AdminScopeGrant : IOpenIddictServerHandler<ProcessSignInContext>
{
    public const string MixRefused = "The admin scopes (admin.read, admin.write) are for the admin API alone: ask for another API's scopes or resources in a separate request.";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseSingletonHandler<AdminScopeGrant>()
            .SetOrder(OpenIddictServerHandlers.PrepareAccessTokenPrincipal.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        var principal = context.Principal;
        var scopes = principal?.GetScopes() ?? [];
        if (principal is null || !scopes.Any(AdminOptions.IsAdminScope))
        {
            return;
        }

        var subject = principal.GetClaim(OpenIddictConstants.Claims.Subject);
        // A client's own token only from client_credentials: a client may be named like a person's id, and a
        // person signing in through it must still hold the role.
        var isClient = subject is not null && subject == context.ClientId && context.Request?.IsClientCredentialsGrantType() == true;
        if (isClient)
        {
            ForTheAdminApiAlone(context, principal);
            return;
        }

        // Resolved only here: building a user manager on every token request (almost none asks for an admin scope)
        // cost more than the rest of the request's handlers together.
        var users = context.Transaction.GetHttpRequest()!.HttpContext.RequestServices.GetRequiredService<UserManager<ApplicationUser>>();
        if ((subject is null || await users.FindByIdAsync(subject) is not { } user || !await users.IsInRoleAsync(user, AdminOptions.Role)))
        {
            principal.SetScopes(scopes.Where(s => !AdminOptions.IsAdminScope(s)));
            return;
        }

        ForTheAdminApiAlone(context, principal);
    }

    /// <summary>
    /// An admin token names the admin API as its only audience. Were another API's audience beside it, that API (or
    /// whoever reads its logs) could replay the token against the admin API; so admin scopes asked for together with
    /// another API's scopes or resources are refused, at the token and the authorization endpoint alike.
    /// </summary>
    private static void ForTheAdminApiAlone(ProcessSignInContext context, ClaimsPrincipal principal)
    {
        if (principal.GetResources().Any(r => r != AdminOptions.Audience))
        {
            context.Reject(Errors.InvalidScope, MixRefused);
            return;
        }

        principal.SetResources(AdminOptions.Audience);
    }
}
