using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IdentityServer.Sessions;

internal static class SessionsSetup
{
    /// <summary>
    /// Server-side sessions: the application cookie holds only a session id (its ticket lives in the
    /// database, <see cref="DatabaseTicketStore"/>), every interactive sign-in gets a fresh handler and so a
    /// fresh id (<see cref="SessionHandlerProvider"/>), and <see cref="SessionManager"/> ends sessions.
    /// </summary>
    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<DatabaseTicketStore>();
        services.AddScoped<SessionHandlerProvider>();
        services.Replace(ServiceDescriptor.Scoped<IAuthenticationHandlerProvider>(sp => sp.GetRequiredService<SessionHandlerProvider>()));
        services.AddScoped<SessionManager>();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<DatabaseTicketStore>((o, store) => o.SessionStore = store);
        return services;
    }
}
