using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Telemetry;

/// <summary>Counts every token endpoint answer as it is sent: issued by grant and client, or failed by error code.</summary>
internal sealed class TokenResponseMetricsHandler(ServerMetrics metrics) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<TokenResponseMetricsHandler>()
            .SetOrder(int.MinValue + 100)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (context.Response.Error is { Length: > 0 } error)
        {
            metrics.TokenError(error);
        }
        else
        {
            metrics.TokenIssued(context.Request?.GrantType, context.Request?.ClientId);
        }

        return ValueTask.CompletedTask;
    }
}
