using System.Threading.RateLimiting;
using Microsoft.AspNetCore;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.RateLimiting;

/// <summary>
/// Requests per second per client at the token, introspection and revocation endpoints, counted once the
/// client has authenticated, so nobody else can spend a confidential client's budget by sending its id.
/// A public client proves nothing, so it is counted per client and address.
/// </summary>
internal sealed class ClientRequestRate : IOpenIddictServerHandler<ProcessAuthenticationContext>, IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;

    public ClientRequestRate(IOptions<RateLimitOptions> options)
    {
        var permits = options.Value.TokenRequestsPerSecondPerClient;
        limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromSeconds(1), QueueLimit = 0 }));
    }

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireClientIdParameter>()
            .UseSingletonHandler<ClientRequestRate>()
            .SetOrder(OpenIddictServerHandlers.ValidateClientSecret.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (context.EndpointType is not (OpenIddictServerEndpointType.Token or OpenIddictServerEndpointType.Introspection or OpenIddictServerEndpointType.Revocation))
        {
            return ValueTask.CompletedTask;
        }

        var authenticated = !string.IsNullOrEmpty(context.ClientSecret) || context.ClientAssertionPrincipal is not null;
        var key = authenticated || context.Transaction.GetHttpRequest()?.HttpContext is not { } http
            ? "client:" + context.ClientId
            : "client:" + context.ClientId + "|" + ClientAddress.Key(http);
        using var lease = limiter.AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromSeconds(1);
            TooManyRequests.Reject(context, wait, "Too many requests from this client.");
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose() => limiter.Dispose();
}
