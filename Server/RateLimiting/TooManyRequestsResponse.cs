using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;

namespace IdentityServer.RateLimiting;

/// <summary>Turns a refusal made by <see cref="TooManyRequests.Reject"/> into a 429 with Retry-After (OpenIddict would send a 400).</summary>
internal sealed class TooManyRequestsResponse<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : OpenIddictServerEvents.BaseRequestContext
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler<TooManyRequestsResponse<TContext>>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<TContext>.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(TContext context)
    {
        if (TooManyRequests.RetryAfter(context.Transaction) is { } seconds && context.Transaction.GetHttpRequest()?.HttpContext.Response is { } response)
        {
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = TooManyRequests.Header(seconds);
            response.Headers.CacheControl = "no-store";
        }

        return ValueTask.CompletedTask;
    }
}
