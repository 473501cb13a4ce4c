using IdentityServer.Audit;
using Microsoft.AspNetCore.Authorization;
using OpenIddict.Abstractions;

namespace IdentityServer.Admin;

/// <summary>
/// Checks an admin API call: the scope the endpoint needs, the admin-api audience (OpenIddict's validation checks it
/// too; checked again so a change there cannot open the API), and that the caller may still administer — a person
/// whose admin role was taken away or whose account was locked is refused at once, not when the token expires.
/// </summary>
internal sealed class AdminScopeHandler(AdminCallers callers, IHttpContextAccessor http) : AuthorizationHandler<AdminScopeRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminScopeRequirement requirement)
    {
        if (!context.User.HasScope(requirement.Scope) || !context.User.HasAudience(AdminOptions.Audience))
        {
            return;
        }

        if (await callers.ResolveAsync(context.User, http.HttpContext?.RequestAborted ?? default) is { } actor)
        {
            if (http.HttpContext is { } current)
            {
                current.Items[typeof(AdminActor)] = actor;
                AuditActor.Set(current, actor.Name);
            }

            context.Succeed(requirement);
        }
    }
}
