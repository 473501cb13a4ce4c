using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Admin.Console;

internal static class AdminConsoleSetup
{
    /// <summary>
    /// The admin console: Razor Pages under <c>/Admin</c>, every one of them behind one authorization policy
    /// (<see cref="ConsoleAccessRequirement"/>) applied to the folder, so no page can forget the check.
    /// </summary>
    public static IServiceCollection AddAdminConsole(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPolicy(ConsoleAccessRequirement.Policy, policy => policy
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new ConsoleAccessRequirement()));
        services.AddScoped<IAuthorizationHandler, ConsoleAccessHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ConsoleAccessResults>();
        services.Configure<RazorPagesOptions>(o => o.Conventions
            .AuthorizeFolder("/Admin", ConsoleAccessRequirement.Policy)
            .AllowAnonymousToPage(ConsoleAccessResults.DeniedPath));
        services.AddScoped<ConsoleDashboard>().AddScoped<ConsoleSessions>().AddScoped<ConsoleAudit>();
        return services;
    }
}
