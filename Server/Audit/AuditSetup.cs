using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Audit;

internal static class AuditSetup
{
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddHttpContextAccessor().AddSingleton<AuditTrail>().AddScoped<AuditQuery>();
        services.AddOpenIddict().AddServer(server => server
            .AddEventHandler(ProtocolFailureAuditHandler<ApplyTokenResponseContext>.Descriptor(tokenEndpoint: true))
            .AddEventHandler(ProtocolFailureAuditHandler<ApplyIntrospectionResponseContext>.Descriptor(tokenEndpoint: false))
            .AddEventHandler(ProtocolFailureAuditHandler<ApplyRevocationResponseContext>.Descriptor(tokenEndpoint: false))
            .AddEventHandler(ProtocolFailureAuditHandler<ApplyPushedAuthorizationResponseContext>.Descriptor(tokenEndpoint: false))
            .AddEventHandler(ProtocolFailureAuditHandler<ApplyDeviceAuthorizationResponseContext>.Descriptor(tokenEndpoint: false)));
        return services;
    }
}
