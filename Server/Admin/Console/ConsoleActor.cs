using System.Security.Claims;

namespace IdentityServer.Admin.Console;

/// <summary>The signed-in admin as the shared admin services name an actor: the audit trail records the user name.</summary>
internal static class ConsoleActor
{
    public static AdminActor Of(ClaimsPrincipal user) =>
        new(user.Identity?.Name ?? throw new InvalidOperationException("The console policy lets only signed-in people in."), user.FindFirstValue(ClaimTypes.NameIdentifier));
}
