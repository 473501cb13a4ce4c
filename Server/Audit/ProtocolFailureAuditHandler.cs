using Microsoft.AspNetCore;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Audit;

/// <summary>
/// Records refused protocol requests as they are answered: a client that failed to authenticate at any endpoint that
/// authenticates clients, and every other token endpoint error by its code. A device polling for its answer
/// (authorization_pending, slow_down) is the flow working, not a failure. Successful answers cost one field check.
/// </summary>
internal sealed class ProtocolFailureAuditHandler<TContext>(bool tokenEndpoint) : IOpenIddictServerHandler<TContext>
    where TContext : BaseContext
{
    public static OpenIddictServerHandlerDescriptor Descriptor(bool tokenEndpoint) =>
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler(new ProtocolFailureAuditHandler<TContext>(tokenEndpoint))
            // After OpenIddict's NormalizeErrorResponse (int.MinValue + 100,000), so the code recorded is the one the client sees.
            .SetOrder(int.MinValue + 100_500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(TContext context)
    {
        if (context.Transaction.Response?.Error is not { Length: > 0 } error
            || error is Errors.AuthorizationPending or Errors.SlowDown
            || (!tokenEndpoint && error != Errors.InvalidClient)
            || context.Transaction.GetHttpRequest()?.HttpContext is not { } http)
        {
            return;
        }

        var type = error == Errors.InvalidClient ? AuditEventTypes.ClientAuthenticationFailed : AuditEventTypes.TokenFailed;
        await http.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(
            new AuditRecord(type) { ClientId = context.Transaction.Request?.ClientId, Reason = error, Details = new { endpoint = http.Request.Path.Value, grantType = context.Transaction.Request?.GrantType } },
            http.RequestAborted);
    }
}
