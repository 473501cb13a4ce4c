using Microsoft.Extensions.Caching.Memory;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// The device flow's polling interval (RFC 8628 §3.2, §3.5), which OpenIddict neither announces nor enforces: the
/// device authorization response says <c>interval</c>; a device polling sooner than that gets <c>slow_down</c>, and
/// from then on must wait five seconds longer, as the RFC tells it to. A poll is recorded only once its device code
/// has proved genuine (it unprotected, and its row exists), just before OpenIddict would answer
/// <c>authorization_pending</c>: made-up codes leave nothing behind. Each instance remembers the devices that polled
/// it (a few bytes per pending device code, forgotten when the code would have expired); several instances behind a
/// balancer each enforce it for the polls they see.
/// </summary>
internal sealed class DevicePolling(TimeProvider time, IMemoryCache cache)
    : IOpenIddictServerHandler<ValidateTokenContext>, IOpenIddictServerHandler<ApplyDeviceAuthorizationResponseContext>
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>A poll this much early still counts as on time: the client's clock and the network are not exact.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(500);

    public static OpenIddictServerHandlerDescriptor PollDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<DevicePolling>()
            .SetOrder(OpenIddictServerHandlers.Protection.ValidateTokenEntry.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public static OpenIddictServerHandlerDescriptor ResponseDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyDeviceAuthorizationResponseContext>()
            .UseSingletonHandler<DevicePolling>()
            .SetOrder(int.MinValue + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyDeviceAuthorizationResponseContext context)
    {
        if (string.IsNullOrEmpty(context.Response.Error) && !string.IsNullOrEmpty(context.Response.DeviceCode))
        {
            context.Response[Parameters.Interval] = (long)Interval.TotalSeconds;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (context.Request?.IsDeviceCodeGrantType() != true || context.Principal is not { } code
            || code.GetTokenType() != TokenTypeIdentifiers.Private.DeviceCode || code.GetTokenId() is not { } id)
        {
            return ValueTask.CompletedTask;
        }

        var key = "device-poll:" + id;
        var now = time.GetUtcNow();
        var poll = cache.Get<Poll>(key) ?? new Poll(DateTimeOffset.MinValue, Interval);
        var early = now + Grace < poll.NextAllowed;
        var interval = early ? poll.Interval + Interval : poll.Interval;
        var expires = code.GetExpirationDate() is { } end && end > now ? end : now + TimeSpan.FromMinutes(30);
        cache.Set(key, new Poll(now + interval, interval), new MemoryCacheEntryOptions { AbsoluteExpiration = expires, Size = 1 });
        if (early)
        {
            context.Reject(Errors.SlowDown, $"Polling too often: wait at least {interval.TotalSeconds:0} seconds between requests.");
        }

        return ValueTask.CompletedTask;
    }

    private sealed record Poll(DateTimeOffset NextAllowed, TimeSpan Interval);
}
