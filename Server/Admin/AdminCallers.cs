using System.Security.Claims;
using IdentityServer.Data;
using IdentityServer.Oidc;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Admin;

/// <summary>Who an admin access token speaks for: its client (client_credentials), or a person who still holds the admin role and is not locked.</summary>
internal sealed class AdminCallers(UserManager<ApplicationUser> users, TimeProvider time)
{
    public async Task<AdminActor?> ResolveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var subject = principal.GetClaim(Claims.Subject);
        var clientId = principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault();
        if (subject is null)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var user = await users.FindByIdAsync(subject);
        if (user is null && subject == clientId)
        {
            // A client's own token; a subject that is a person's id is that person's, whatever the client is called.
            return AdminActor.Client(subject);
        }

        if (!LockedAccountTokens.CanUseTokens(user, time.GetUtcNow()) || !await users.IsInRoleAsync(user, AdminOptions.Role))
        {
            return null;
        }

        return new AdminActor(user.UserName!, user.Id);
    }

    /// <summary>The caller the authorization handler resolved for this request.</summary>
    public static AdminActor Current(HttpContext context) =>
        context.Items[typeof(AdminActor)] as AdminActor ?? throw new InvalidOperationException("An admin endpoint ran without its authorization policy.");
}
