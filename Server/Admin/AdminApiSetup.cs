using IdentityServer.Admin.Clients;
using IdentityServer.Admin.Users;
using Microsoft.AspNetCore.Authorization;
using OpenIddict.Validation.AspNetCore;

namespace IdentityServer.Admin;

/// <summary>
/// The admin API under <c>/admin/api</c>: this server's own access tokens (audience <c>admin-api</c>, scopes
/// <c>admin.read</c> / <c>admin.write</c>) validated by OpenIddict's validation stack against the local server, with
/// token and authorization entry validation on, so a revoked token or grant is refused at once.
/// </summary>
internal static class AdminApiSetup
{
    public static IServiceCollection AddAdminApi(this IServiceCollection services)
    {
        services.AddOpenIddict()
            .AddServer(server =>
            {
                server.RegisterScopes(AdminOptions.ReadScope, AdminOptions.WriteScope);
                server.AddEventHandler(AdminScopeGrant.Descriptor);
                server.AddEventHandler(AdminTokenRows.Descriptor);
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
                validation.EnableTokenEntryValidation();
                validation.EnableAuthorizationEntryValidation();
                validation.AddAudiences(AdminOptions.Audience);
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicies.Read, Policy(AdminOptions.ReadScope))
            .AddPolicy(AdminPolicies.Write, Policy(AdminOptions.WriteScope));
        services.AddScoped<IAuthorizationHandler, AdminScopeHandler>();
        services.AddScoped<AdminCallers>();
        services.AddProblemDetails();

        services.AddScoped<ClientRules>().AddScoped<AdminClients>();
        services.AddScoped<UserRules>().AddScoped<AdminUsers>();
        return services;
    }

    private static AuthorizationPolicy Policy(string scope) =>
        new AuthorizationPolicyBuilder(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new AdminScopeRequirement(scope))
            .Build();
}
