using IdentityServer.Admin.Api;
using IdentityServer.Admin.AuditEvents;
using IdentityServer.Admin.Clients;
using IdentityServer.Admin.Grants;
using IdentityServer.Admin.Keys;
using IdentityServer.Admin.Passkeys;
using IdentityServer.Admin.Scopes;
using IdentityServer.Admin.Sessions;
using IdentityServer.Admin.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Admin.Setup;

/// <summary>
/// Composes the admin API (its own namespace: it is the one place that sees every resource's folder, which all
/// build on <c>IdentityServer.Admin</c>). The admin API lives under <c>/admin/api</c>: this server's own access tokens (audience <c>admin-api</c>, scopes
/// <c>admin.read</c> / <c>admin.write</c>) validated by OpenIddict's validation stack against the local server, with
/// token and authorization entry validation on, so a revoked token or grant is refused at once (and the 7.8.0
/// validation advisory does not apply). A browser's sign-in cookie opens nothing here: only a bearer token does.
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
                server.AddEventHandler(AdminScopeMix<ValidateAuthorizationRequestContext>.Descriptor);
                server.AddEventHandler(AdminScopeMix<ValidatePushedAuthorizationRequestContext>.Descriptor);
                server.AddEventHandler(AdminScopeMix<ValidateDeviceAuthorizationRequestContext>.Descriptor);
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
                validation.EnableTokenEntryValidation();
                validation.EnableAuthorizationEntryValidation();
                validation.AddAudiences(AdminOptions.Audience);
            });

        services.AddSingleton<IAuthenticationSchemeProvider, AdminApiSchemes>();
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicies.Read, Policy(AdminOptions.ReadScope))
            .AddPolicy(AdminPolicies.Write, Policy(AdminOptions.WriteScope));
        services.AddScoped<IAuthorizationHandler, AdminScopeHandler>();
        services.AddScoped<AdminCallers>();
        services.AddProblemDetails();
        services.AddAdminOpenApi();

        services.AddScoped<ClientRules>().AddScoped<AdminClients>();
        services.AddScoped<UserRules>().AddScoped<UserViews>().AddScoped<AdminUsers>();
        services.AddScoped<AdminScopes>().AddScoped<AdminSessions>().AddScoped<AdminGrants>().AddScoped<AdminPasskeys>();
        return services;
    }

    /// <summary>
    /// Early in the pipeline, for <c>/admin/api</c> only: answers are never cached, and an error without a body (the
    /// bearer handler's 401 and 403, routing's 404 and 405) gets a ProblemDetails body; headers such as
    /// <c>WWW-Authenticate</c> stay as they were.
    /// </summary>
    public static WebApplication UseAdminApi(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(AdminOpenApi.Prefix), branch =>
        {
            branch.Use((context, next) =>
            {
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                AdminOpenApi.AddReferenceHeaders(context);
                return next(context);
            });
            branch.UseStatusCodePages();
        });
        return app;
    }

    public static WebApplication MapAdminApi(this WebApplication app, AdminOptions options)
    {
        // Every endpoint may answer these; the OpenAPI document says so once for all of them.
        var api = app.MapGroup(AdminOpenApi.Prefix)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapClientEndpoints();
        api.MapScopeEndpoints();
        api.MapUserEndpoints();
        api.MapSessionEndpoints();
        api.MapPasskeyEndpoints();
        api.MapGrantEndpoints();
        api.MapKeyEndpoints();
        api.MapAuditEndpoints();
        app.MapAdminOpenApi(options.ApiReference || app.Environment.IsDevelopment());
        return app;
    }

    private static AuthorizationPolicy Policy(string scope) =>
        new AuthorizationPolicyBuilder(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new AdminScopeRequirement(scope))
            .Build();
}
