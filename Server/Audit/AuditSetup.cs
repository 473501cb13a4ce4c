namespace IdentityServer.Audit;

internal static class AuditSetup
{
    public static IServiceCollection AddAudit(this IServiceCollection services) =>
        services.AddHttpContextAccessor().AddScoped<AuditTrail>().AddScoped<AuditQuery>();
}
