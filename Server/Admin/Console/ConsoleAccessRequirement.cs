using Microsoft.AspNetCore.Authorization;

namespace IdentityServer.Admin.Console;

/// <summary>
/// What the admin console asks of the person: the admin role and, by default, a second factor proved within
/// <see cref="AdminOptions.ConsoleSignInMaxAge"/>. A stolen password, or a session left open all day, is not enough.
/// </summary>
internal sealed class ConsoleAccessRequirement : IAuthorizationRequirement
{
    public const string Policy = "AdminConsole";
}
