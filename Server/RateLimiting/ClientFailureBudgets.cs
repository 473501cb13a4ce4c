using IdentityServer.Configuration;
using Microsoft.Extensions.Options;

namespace IdentityServer.RateLimiting;

/// <summary>Wrong client secrets, counted per client id and per address (one instance for the server).</summary>
internal sealed class ClientFailureBudgets(IOptions<ServerOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public FailureBudget Clients { get; } = new(time, options.Value.RateLimits.FailedClientAuthenticationsPerMinutePerClient, Window, options.Value.RateLimits.LongestBlock);

    public FailureBudget Addresses { get; } = new(time, options.Value.RateLimits.FailedClientAuthenticationsPerMinutePerAddress, Window, options.Value.RateLimits.LongestBlock);
}
