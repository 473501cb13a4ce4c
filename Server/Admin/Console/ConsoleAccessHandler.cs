using IdentityServer.Data;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityServer.Admin.Console;

/// <summary>
/// Judges <see cref="ConsoleAccessRequirement"/> from the session row's record of the sign-in (the methods and the
/// instant the second factor was checked), which no request can set: the cookie holds only the session id.
/// </summary>
internal sealed class ConsoleAccessHandler(IOptions<AdminOptions> options, UserManager<ApplicationUser> users, TimeProvider time)
    : AuthorizationHandler<ConsoleAccessRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ConsoleAccessRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true || context.Resource is not HttpContext http)
        {
            // Anonymous: the policy's authenticated-user rule fails too, and the answer is the sign-in page.
            return;
        }

        // The role as stored now, not as the cookie remembers it: taking it away closes the console at once.
        if (await users.GetUserAsync(context.User) is not { } admin || !await users.IsInRoleAsync(admin, AdminOptions.Role))
        {
            context.Fail(new ConsoleRefusal(this, ConsoleRefusalKind.NotAdmin, "The admin console needs the admin role."));
            return;
        }

        var settings = options.Value;
        var cookie = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var session = SessionAuthentication.From(cookie.Properties);
        var now = time.GetUtcNow();
        var fresh = settings.ConsoleRequiresSecondFactor
            ? session.HasFreshSecondFactor(now, settings.ConsoleSignInMaxAge)
            : session.At is { } at && now - at <= settings.ConsoleSignInMaxAge;
        if (fresh)
        {
            context.Succeed(requirement);
            return;
        }

        // A passkey sign-in verifies the user itself, so an account with a passkey has a second factor to give.
        if (settings.ConsoleRequiresSecondFactor && await users.GetUserAsync(context.User) is { } user
            && !await users.GetTwoFactorEnabledAsync(user) && (await users.GetPasskeysAsync(user)).Count == 0)
        {
            context.Fail(new ConsoleRefusal(this, ConsoleRefusalKind.NoSecondFactor, "The admin console needs a second factor, and none is set up."));
            return;
        }

        context.Fail(new ConsoleRefusal(this, ConsoleRefusalKind.Reauthenticate, "The admin console needs a recent sign-in with the second factor."));
    }
}
