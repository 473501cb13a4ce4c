using Microsoft.Extensions.Options;

namespace IdentityServer.RateLimiting;

/// <summary>Wrong client secrets, counted per client id and per address (one instance for the server).</summary>
internal sealed class ClientFailureBudgets(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public FailureBudget Clients { get; } = new(time, options.Value.FailedClientAuthenticationsPerMinutePerClient, Window, options.Value.LongestBlock);

    public FailureBudget Addresses { get; } = new(time, options.Value.FailedClientAuthenticationsPerMinutePerAddress, Window, options.Value.LongestBlock);
}
